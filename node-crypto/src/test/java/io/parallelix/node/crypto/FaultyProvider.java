package io.parallelix.node.crypto;

import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A JCA provider that delegates to the JDK's and, when told to, corrupts what it returns: a flipped
 * bit in every signature or digest. Simulates the faults that verify-after-sign and the self-test
 * exist to catch.
 */
final class FaultyProvider extends Provider {
    private static final long serialVersionUID = 1L;

    final AtomicBoolean corruptSignatures = new AtomicBoolean();
    final AtomicBoolean corruptDigests = new AtomicBoolean();

    FaultyProvider() {
        super("Faulty", "1", "test: corrupts results on demand");
        for (String alg : new String[] {"SHA256withRSA", "RSASSA-PSS"}) {
            putService(new Service(this, "Signature", alg, FaultySignature.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                    return new FaultySignature(Signature.getInstance(alg, sun()), corruptSignatures);
                }
            });
        }
        putService(new Service(this, "MessageDigest", "SHA-256", FaultyDigest.class.getName(), null, null) {
            @Override
            public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
                return new FaultyDigest(MessageDigest.getInstance("SHA-256"), corruptDigests);
            }
        });
    }

    JcaProvider jca() {
        return new JcaProvider(CryptoProvider.JDK, this, this);
    }

    private static Provider sun() {
        return java.security.Security.getProvider("SunRsaSign");
    }

    static final class FaultySignature extends SignatureSpi {
        private final Signature delegate;
        private final AtomicBoolean corrupt;

        FaultySignature(Signature delegate, AtomicBoolean corrupt) {
            this.delegate = delegate;
            this.corrupt = corrupt;
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            delegate.initVerify(publicKey);
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            delegate.initSign(privateKey);
        }

        @Override
        protected void engineUpdate(byte b) throws SignatureException {
            delegate.update(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
            delegate.update(b, off, len);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            byte[] sig = delegate.sign();
            if (corrupt.get()) {
                sig[sig.length - 1] ^= 0x01;
            }
            return sig;
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
            return delegate.verify(sigBytes);
        }

        @Override
        protected void engineSetParameter(AlgorithmParameterSpec params)
                throws java.security.InvalidAlgorithmParameterException {
            delegate.setParameter(params);
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("unsupported");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("unsupported");
        }
    }

    static final class FaultyDigest extends MessageDigestSpi {
        private final MessageDigest delegate;
        private final AtomicBoolean corrupt;

        FaultyDigest(MessageDigest delegate, AtomicBoolean corrupt) {
            this.delegate = delegate;
            this.corrupt = corrupt;
        }

        @Override
        protected void engineUpdate(byte input) {
            delegate.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            delegate.update(input, offset, len);
        }

        @Override
        protected byte[] engineDigest() {
            byte[] d = delegate.digest();
            if (corrupt.get()) {
                d[0] ^= 0x01;
            }
            return d;
        }

        @Override
        protected void engineReset() {
            delegate.reset();
        }
    }
}
