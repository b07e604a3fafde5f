package io.parallelix.node.crypto;

import java.nio.charset.StandardCharsets;

/**
 * TEST ONLY: the 2048-bit RSA key behind {@link CryptoSelfTest}'s known answers. Its private half is
 * public (it is in this source file), so it proves nothing about anyone: never use it for a node.
 * Made with {@code openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048}; the answers it
 * yields come from scripts/gen_self_test_kat.py (pyca/cryptography, no pxnode code).
 */
final class SelfTestKey {
    static final String TEST_ONLY_PRIVATE_KEY_PEM = """
            -----BEGIN PRIVATE KEY-----
            MIIEvwIBADANBgkqhkiG9w0BAQEFAASCBKkwggSlAgEAAoIBAQDJ3t2CeCmi7iNd
            HYzKEFqnqGRG8w7XkJ5iIjqM1aZTo1NTC4xCFyBPYwwiLYPc7NLnwn8eciK4RidI
            aOxOwbZ9DBiChUIYiGjezLfOKbWS0871lFsrvEuP0TOkOwoa3tIiwerV2zOMMHXy
            RGr1LzPm6d0CrqaISP0vqz2iZb/5O0zLkZXFWJAucIHCo1j9Vxbk7Uz9EePUueOq
            f0m+E8Jyj3nJVzbxl0j59pe8sNMAfL1yovycXs56T7Atm+0g+QzQvQ/9OZTO3rNx
            X/agUy7Awz44uNSA0YOJqwJu+4Xhh0TNifxN83Jb/Y87760iKNYacwshhO9BTlnp
            lD6f679zAgMBAAECggEAWqTneuOg8oeSuod/xeW1By5uJIuUQQgvjioHd2Ch6FFg
            o1v+lViUCgGUG66rVKLEiwuDD/U5ENxzXCi83xpNanXpdYYHqUNrL4vmBr0kynKw
            LgZ5L7jDhybtVNOr1Gf0HGZNn8xnJ45FD81X55NT715YfpFUtsJraaGvMcIVgv+o
            WzlY2FlOLSOSsDDMcEehovLJ3Ph6H2J9fBNoILouQJQe0BEwQnT6ROqszSOaUNyb
            /nBotC256cdmMKYcGyvzDLsTMNGJ/Vu8Uu9dc+I93SVNVVICILDUP3OVaF7F4SqK
            xmVghb7WpGiTX9y2UHTJIsfaZSjAXzQyhLWP6S2GmQKBgQD1Udi15OQTLLGg5rss
            wFxSLnBJPSJ5bmcSgxJQs9IQ4DBWYWHEVq16aCZWIbHXStNnNk1E2g36NayFTLxj
            Lno8bdheXq7OmQCEc6m65bMzBcz7m9v2heRAfC29bV+gML1kJr3K9YKSBYuG9sRt
            UQrpS3P7xRkscKvFbxrRUzIc2wKBgQDSqMQ2qOU1uZCiVsAg62+F5yK/XcTSpAx5
            qOYjzynjV8LKTkYhmrB9QxbZfSvQ0nhSV6E/ppiLuEnBgdWneGq+IRB1/rLETmBY
            jzTueyKqxnKv5+nUX9bvgqvF7BtiS9McxxIlGIGcSO73KvYe76wneNeq91MW4anX
            jjd/d1kfSQKBgQCWFafOyKVcschOlzrGSz1wLecWd6eCwS+gHL50zz7igjYwcs2c
            kCb8L4HcyiqCe83QZGFrkThh7rqIpwTObR3toIpyWdz6mpK9dgHOTT+QJKle+eDd
            9tZJOW/GZ4bMe2UzQ5xz8jYa3feZ75kHBED3r+jajKA1Fw2P8cRnck3DZwKBgQCn
            4Ex1jsUSum2zoVR9J4J5gEflnxFSF9/FOD8m/FnSTcbyt8wVzZOmT0evTJwVTxUJ
            8cGT2uyoM9W7Ov+L9V+DYxAeKDpITHllOcKh5kkrNPiCjFuAnlvIBSdklBMCk5CK
            123zWAM6C7k8CeWXo8JatmeQXIa/rlhOaox5rR+92QKBgQDadvj0Yb1q9nTxXF9G
            P3eMHezdu5pfD8hFxEImaUgTpMWZ2PCWU/JTa+luWmLzUhgoDkRE40W8zP6fh7eE
            3kurJUo28YIsMfGnouWTRTqarbKEO0efbBCaoBIScyM+iGo+yMSo9PYUS0uTyqoN
            FiWPuIBOHz6Lr+dKT6kchD8RtA==
            -----END PRIVATE KEY-----
            """;

    private SelfTestKey() {}

    static NodeKey load() throws KeyException {
        return KeyFiles.parsePrivateKey(TEST_ONLY_PRIVATE_KEY_PEM.getBytes(StandardCharsets.US_ASCII), null);
    }
}
