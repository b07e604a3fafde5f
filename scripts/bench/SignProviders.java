import java.lang.management.ManagementFactory;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RSA signing per JCA provider, side by side in one JVM (scripts/bench-signing.sh): for PS256 and
 * RS256, each provider signs for a window with 1 thread and then with every core, a fresh
 * Signature per call and the key converted once into the provider's own class (as ResultSigner
 * does); every provider's first signature is checked by the JDK. Prints one line per point:
 * signatures/s and process CPU µs per signature. Providers that are not on the class path are
 * skipped with a note.
 */
public final class SignProviders {
    private static final PSSParameterSpec PS256 =
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC);

    public static void main(String[] args) throws Exception {
        int bits = Integer.parseInt(args.length > 0 ? args[0] : "3072");
        double seconds = Double.parseDouble(args.length > 1 ? args[1] : "2");
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        KeyPair kp = g.generateKeyPair();
        byte[] message = new byte[1024];
        new Random(1).nextBytes(message);
        List<Provider> providers = new ArrayList<>();
        providers.add(Security.getProvider("SunRsaSign"));
        load(providers, "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider", "INSTANCE", null);
        load(providers, "org.conscrypt.Conscrypt", null, "newProvider");
        load(providers, "org.bouncycastle.jce.provider.BouncyCastleProvider", null, null);
        int cores = Runtime.getRuntime().availableProcessors();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("RSA-%d, %d-byte message, %.1f s per point, %d cores%n", bits, message.length, seconds, cores);
        for (String alg : new String[] {"PS256", "RS256"}) {
            for (Provider p : providers) {
                PrivateKey key = translated(kp.getPrivate(), p);
                Signer one = () -> sign(alg, p, key, message);
                check(alg, kp, message, one.sign());
                for (int i = 0; i < 200; i++) {
                    one.sign(); // JIT and the provider's own caches
                }
                for (int threads : new int[] {1, cores}) {
                    long cpu0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    long end = t0 + (long) (seconds * 1e9);
                    AtomicLong n = new AtomicLong();
                    Thread[] ts = new Thread[threads];
                    for (int t = 0; t < threads; t++) {
                        ts[t] = new Thread(() -> {
                            try {
                                while (System.nanoTime() < end) {
                                    one.sign();
                                    n.incrementAndGet();
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        ts[t].start();
                    }
                    for (Thread t : ts) {
                        t.join();
                    }
                    double wall = (System.nanoTime() - t0) / 1e9;
                    double cpuUs = (os.getProcessCpuTime() - cpu0) / 1e3;
                    System.out.printf(
                            "SIGN\t%s\t%s\tthreads=%d\tsig/s=%.0f\tcpu_us/sig=%.0f%n",
                            alg, p.getName() + " " + p.getVersionStr(), threads, n.get() / wall, cpuUs / n.get());
                }
            }
        }
    }

    private interface Signer {
        byte[] sign() throws Exception;
    }

    private static byte[] sign(String alg, Provider p, PrivateKey key, byte[] message) throws Exception {
        Signature s;
        if (alg.equals("PS256")) {
            try {
                s = Signature.getInstance("RSASSA-PSS", p);
                s.setParameter(PS256);
            } catch (NoSuchAlgorithmException e) {
                s = Signature.getInstance("SHA256withRSA/PSS", p); // Conscrypt's name: salt = hash length
            }
        } else {
            s = Signature.getInstance("SHA256withRSA", p);
        }
        s.initSign(key);
        s.update(message);
        return s.sign();
    }

    private static void check(String alg, KeyPair kp, byte[] message, byte[] sig) throws Exception {
        Signature v = Signature.getInstance(alg.equals("PS256") ? "RSASSA-PSS" : "SHA256withRSA", "SunRsaSign");
        if (alg.equals("PS256")) {
            v.setParameter(PS256);
        }
        v.initVerify(kp.getPublic());
        v.update(message);
        if (!v.verify(sig)) {
            throw new IllegalStateException(alg + ": a provider made a signature the JDK does not accept");
        }
    }

    private static PrivateKey translated(PrivateKey key, Provider p) {
        try {
            return (PrivateKey) KeyFactory.getInstance("RSA", p).translateKey(key);
        } catch (Exception e) {
            return key;
        }
    }

    private static void load(List<Provider> into, String className, String field, String factory) {
        try {
            Class<?> c = Class.forName(className);
            Object p = field != null
                    ? c.getField(field).get(null)
                    : factory != null ? c.getMethod(factory).invoke(null) : c.getConstructor().newInstance();
            into.add((Provider) p);
        } catch (ReflectiveOperationException | LinkageError e) {
            System.out.println("# skipped " + className + ": " + e);
        }
    }
}
