#!/usr/bin/env python3
"""Computes CryptoSelfTest's known answers from its built-in TEST-ONLY key, with pyca/cryptography
and hashlib only (no pxnode code), so the Java self-test is checked against an independent source.

    python3 scripts/gen_self_test_kat.py KEY.pem   # KEY.pem: the PEM embedded in SelfTestKey.java

Prints Java constants to paste into CryptoSelfTest.java. The PS256 signature is random (verify-only).
"""
import hashlib
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

REQUEST_ID = "pxnode-self-test"
RESULT = b"The quick brown fox jumps over the lazy dog"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    node_id = hashlib.sha256(spki).digest()
    poe = hashlib.sha256(REQUEST_ID.encode("utf-8") + RESULT + node_id).digest()
    rs256 = key.sign(RESULT + poe, padding.PKCS1v15(), hashes.SHA256())
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    ps256 = key.sign(RESULT + poe, pss, hashes.SHA256())
    print(f'static final String SHA256_ABC = "{hashlib.sha256(b"abc").hexdigest()}";')
    print(f'static final String NODE_ID = "{node_id.hex()}";')
    print(f'static final String POE = "{poe.hex()}";')
    print(f'static final String RS256_SIG = "{rs256.hex()}";')
    print(f'static final String PS256_SIG = "{ps256.hex()}";')
    return 0


if __name__ == "__main__":
    sys.exit(main())
