package io.parallelix.node.gpu.sampling;

/**
 * The random source (docs/generation.md, "Random source"): Philox4x32-10 (Salmon, Moraes, Dror and
 * Shaw, SC11; Random123's reference and known answers), a counter-based generator, so the draw for
 * (seed, choice, step) is a pure function of those three numbers: no state to carry, replay or lose
 * when a request is re-dispatched, and no implementation-defined engine (std::discrete_distribution,
 * torch generators) in the way.
 */
final class Philox {
    static final int M0 = 0xD2511F53;
    static final int M1 = 0xCD9E8D57;
    static final int W0 = 0x9E3779B9;
    static final int W1 = 0xBB67AE85;
    /** Counter words 2 and 3: the ASCII bytes "pxsampv1" read as two little-endian words. */
    static final int DOMAIN_2 = 0x61737870;

    static final int DOMAIN_3 = 0x3176706D;
    private static final long U32 = 0xFFFF_FFFFL;

    private Philox() {}

    /** The four output words for counter (c0..c3) and key (k0, k1), as Random123 defines them. */
    static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        int[] x = {c0, c1, c2, c3};
        int key0 = k0;
        int key1 = k1;
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                key0 += W0;
                key1 += W1;
            }
            long p0 = (M0 & U32) * (x[0] & U32);
            long p1 = (M1 & U32) * (x[2] & U32);
            int y0 = (int) (p1 >>> 32) ^ x[1] ^ key0;
            int y2 = (int) (p0 >>> 32) ^ x[3] ^ key1;
            x[0] = y0;
            x[1] = (int) p1;
            x[2] = y2;
            x[3] = (int) p0;
        }
        return x;
    }

    /**
     * The 53-bit draw for one step: counter (step, choice, DOMAIN_2, DOMAIN_3), key (low and high
     * words of the seed's two's complement), output words x0, x1 give (x0 &lt;&lt; 21) | (x1 &gt;&gt;&gt; 11),
     * an integer in [0, 2^53); divided by 2^53 it is the uniform u in [0, 1).
     */
    static long uniform53(long seed, int choice, int step) {
        int c0 = step;
        int c1 = choice;
        int c2 = DOMAIN_2;
        int c3 = DOMAIN_3;
        int key0 = (int) seed;
        int key1 = (int) (seed >>> 32);
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                key0 += W0;
                key1 += W1;
            }
            long p0 = (M0 & U32) * (c0 & U32);
            long p1 = (M1 & U32) * (c2 & U32);
            int y0 = (int) (p1 >>> 32) ^ c1 ^ key0;
            int y2 = (int) (p0 >>> 32) ^ c3 ^ key1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = y0;
            c2 = y2;
        }
        return ((c0 & U32) << 21) | ((c1 & U32) >>> 11);
    }
}
