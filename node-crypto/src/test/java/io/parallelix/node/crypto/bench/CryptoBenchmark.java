package io.parallelix.node.crypto.bench;

import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.NodeId;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ProofOfExecution;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.crypto.SignedResult;
import io.parallelix.node.crypto.Verdict;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The protocol's fixed per-request costs, one thread: PoE (and plain SHA-256 per provider) over
 * 1 KiB, 64 KiB and 4 MiB results; ResultSigner.sign (PoE + signature + verify-after-sign) and
 * EnvelopeVerifier.verify for 2048/3072/4096-bit keys, PS256 and RS256, JDK and ACCP; and raw
 * signing with a fresh Signature per call against a cached per-thread one. Run through
 * scripts/bench-crypto.sh, which also turns PoE ops/s into MB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CryptoBenchmark {
    static final String REQUEST_ID = "req_bench-0001";
    static final PSSParameterSpec PS256 =
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC);

    @State(Scope.Benchmark)
    public static class PoeState {
        @Param({"1024", "65536", "4194304"})
        public int size;

        byte[] result = new byte[0];
        NodeId nodeId = NodeId.fromHex("00".repeat(32));

        @Setup(Level.Trial)
        public void setUp() {
            result = new byte[size];
            new Random(size).nextBytes(result);
            nodeId = NodeId.fromHex("0123456789abcdef".repeat(4));
        }
    }

    @State(Scope.Thread)
    public static class DigestState {
        @Param({"1024", "65536", "4194304"})
        public int size;

        @Param({"jdk", "accp"})
        public String provider = "jdk";

        byte[] data = new byte[0];
        MessageDigest sha256 = newSha256("jdk");

        @Setup(Level.Trial)
        public void setUp() {
            data = new byte[size];
            new Random(size).nextBytes(data);
            sha256 = newSha256(provider);
        }
    }

    @State(Scope.Benchmark)
    public static class SignState {
        @Param({"2048", "3072", "4096"})
        public int bits;

        @Param({"PS256", "RS256"})
        public String alg = "PS256";

        @Param({"jdk", "accp"})
        public String provider = "jdk";

        byte[] result = new byte[1024];
        ResultSigner signer;
        EnvelopeVerifier verifier;
        NodeKey key;
        SignedResult signed;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            new Random(1).nextBytes(result);
            key = NodeKey.of(generate(bits));
            CryptoProvider p = CryptoProvider.fromConfig(provider);
            signer = new ResultSigner(key, SigAlg.valueOf(alg), p);
            verifier = new EnvelopeVerifier(p);
            signed = signer.sign(REQUEST_ID, result);
        }
    }

    /** Raw JCA signing at the default 3072 bits: what a fresh Signature per call costs. */
    @State(Scope.Thread)
    public static class RawState {
        @Param({"PS256", "RS256"})
        public String alg = "PS256";

        @Param({"jdk", "accp"})
        public String provider = "jdk";

        byte[] message = new byte[1024 + 32];
        PrivateKey privateKey;
        PrivateKey translatedKey;
        Provider jca;
        ThreadLocal<Signature> cached;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            new Random(2).nextBytes(message);
            privateKey = generate(3072).getPrivate();
            jca = provider(provider);
            translatedKey = (PrivateKey) KeyFactory.getInstance("RSA", jca).translateKey(privateKey);
            cached = ThreadLocal.withInitial(() -> {
                try {
                    Signature s = newSignature(alg, jca);
                    s.initSign(privateKey);
                    return s;
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Benchmark
    public byte[] poe(PoeState s) {
        return ProofOfExecution.v1(REQUEST_ID, s.result, s.nodeId);
    }

    @Benchmark
    public byte[] sha256(DigestState s) {
        return s.sha256.digest(s.data);
    }

    @Benchmark
    public SignedResult sign(SignState s) {
        return s.signer.sign(REQUEST_ID, s.result);
    }

    @Benchmark
    public Verdict verify(SignState s) {
        return s.verifier.verify(
                REQUEST_ID,
                s.result,
                s.signed.nodeId().hex(),
                s.signed.poe(),
                s.signed.sig(),
                s.alg,
                s.key.publicKey());
    }

    @Benchmark
    public byte[] rawSignFresh(RawState s) throws GeneralSecurityException {
        Signature sig = newSignature(s.alg, s.jca);
        sig.initSign(s.privateKey);
        sig.update(s.message);
        return sig.sign();
    }

    /** Fresh Signature, but the key converted once into the provider's own key class. */
    @Benchmark
    public byte[] rawSignFreshTranslatedKey(RawState s) throws GeneralSecurityException {
        Signature sig = newSignature(s.alg, s.jca);
        sig.initSign(s.translatedKey);
        sig.update(s.message);
        return sig.sign();
    }

    @Benchmark
    public byte[] rawSignThreadLocal(RawState s) throws GeneralSecurityException {
        Signature sig = s.cached.get();
        sig.update(s.message);
        return sig.sign(); // resets to the state after initSign
    }

    static KeyPair generate(int bits) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), new SecureRandom());
        return g.generateKeyPair();
    }

    static Signature newSignature(String alg, Provider provider) throws GeneralSecurityException {
        if (alg.equals("PS256")) {
            Signature s = Signature.getInstance("RSASSA-PSS", provider);
            s.setParameter(PS256);
            return s;
        }
        return Signature.getInstance("SHA256withRSA", provider);
    }

    static MessageDigest newSha256(String provider) {
        try {
            return MessageDigest.getInstance(
                    "SHA-256", provider.equals("jdk") ? Security.getProvider("SUN") : provider(provider));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same providers as CryptoProvider: SunRsaSign, or ACCP's INSTANCE loaded by name. */
    static Provider provider(String name) {
        if (name.equals("jdk")) {
            return Security.getProvider("SunRsaSign");
        }
        try {
            return (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                    .getField("INSTANCE")
                    .get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ACCP is not on the benchmark class path", e);
        }
    }
}
