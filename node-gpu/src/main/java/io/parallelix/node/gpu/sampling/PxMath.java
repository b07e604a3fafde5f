package io.parallelix.node.gpu.sampling;

/**
 * The pipeline's own exp and ln (docs/generation.md, "Arithmetic"): fixed sequences of IEEE-754
 * binary64 additions, multiplications and divisions, each rounded to nearest even and never fused,
 * so every implementation gets the same bits. libm's exp and log are accurate but differ in the
 * last bit between libraries, and a last bit can move a sampling boundary.
 */
final class PxMath {
    static final double INV_LN2 = 0x1.71547652b82fep0;
    static final double LN2_HI = 0x1.62e42fee00000p-1;
    static final double LN2_LO = 0x1.a39ef35793c76p-33;
    static final double SQRT2 = 0x1.6a09e667f3bcdp0;
    /** Below this, {@link #exp} is 0: e^-708 is still a normal double, so 2^n never goes subnormal. */
    static final double EXP_FLOOR = -708.0;

    // The doubles nearest to 1/k!, k = 0..12, and to 1/(2k+1), k = 0..10.
    private static final double E2 = 0x1.0000000000000p-1;
    private static final double E3 = 0x1.5555555555555p-3;
    private static final double E4 = 0x1.5555555555555p-5;
    private static final double E5 = 0x1.1111111111111p-7;
    private static final double E6 = 0x1.6c16c16c16c17p-10;
    private static final double E7 = 0x1.a01a01a01a01ap-13;
    private static final double E8 = 0x1.a01a01a01a01ap-16;
    private static final double E9 = 0x1.71de3a556c734p-19;
    private static final double E10 = 0x1.27e4fb7789f5cp-22;
    private static final double E11 = 0x1.ae64567f544e4p-26;
    private static final double E12 = 0x1.1eed8eff8d898p-29;
    private static final double L1 = 0x1.5555555555555p-2;
    private static final double L2 = 0x1.999999999999ap-3;
    private static final double L3 = 0x1.2492492492492p-3;
    private static final double L4 = 0x1.c71c71c71c71cp-4;
    private static final double L5 = 0x1.745d1745d1746p-4;
    private static final double L6 = 0x1.3b13b13b13b14p-4;
    private static final double L7 = 0x1.1111111111111p-4;
    private static final double L8 = 0x1.e1e1e1e1e1e1ep-5;
    private static final double L9 = 0x1.af286bca1af28p-5;
    private static final double L10 = 0x1.8618618618618p-5;

    /** Where {@link #expw} leaves the table for {@link #exp}. */
    static final double TABLE_FLOOR = -32.0;

    private static final double[] TABLE = new double[2049];

    static {
        for (int k = 0; k <= 2048; k++) {
            TABLE[k] = exp(-k * 0x1p-6);
        }
    }

    private PxMath() {}

    /**
     * The sampler's e^x for x &lt;= 0, about twice as fast as {@link #exp} where it runs once per
     * vocabulary entry: for x &gt;= -32, x = -k/64 + r with |r| &lt;= 1/128 and e^x = T[k] * P(r), where
     * T[k] = exp(-k/64) and P the degree-6 Taylor polynomial; below -32, {@link #exp}.
     */
    static double expw(double x) {
        if (!(x >= TABLE_FLOOR)) {
            return exp(x);
        }
        double t = Math.rint(x * 64.0);
        double r = x - t * 0x1p-6;
        double p = E6;
        p = p * r + E5;
        p = p * r + E4;
        p = p * r + E3;
        p = p * r + E2;
        p = p * r + 1.0;
        p = p * r + 1.0;
        return TABLE[(int) -t] * p;
    }

    /** e^x for x &lt;= 0 (or -inf): range reduction by ln 2, then a degree-12 Taylor polynomial. */
    static double exp(double x) {
        if (!(x >= EXP_FLOOR)) {
            return 0.0;
        }
        double n = Math.rint(x * INV_LN2);
        double r = (x - n * LN2_HI) - n * LN2_LO;
        double p = E12;
        p = p * r + E11;
        p = p * r + E10;
        p = p * r + E9;
        p = p * r + E8;
        p = p * r + E7;
        p = p * r + E6;
        p = p * r + E5;
        p = p * r + E4;
        p = p * r + E3;
        p = p * r + E2;
        p = p * r + 1.0;
        p = p * r + 1.0;
        // n is in [-1021, 0]: 2^n is built exactly from its exponent bits
        return p * Double.longBitsToDouble(((long) n + 1023) << 52);
    }

    /** ln y for a finite y &gt;= 1 (a softmax denominator): y = m * 2^e, then atanh series in s. */
    static double lnAtLeastOne(double y) {
        long bits = Double.doubleToRawLongBits(y);
        int e = (int) (bits >>> 52) - 1023;
        double m = Double.longBitsToDouble((bits & 0x000F_FFFF_FFFF_FFFFL) | 0x3FF0_0000_0000_0000L);
        if (m > SQRT2) {
            m = m * 0.5;
            e = e + 1;
        }
        double f = m - 1.0;
        double s = f / (2.0 + f);
        double z = s * s;
        double p = L10;
        p = p * z + L9;
        p = p * z + L8;
        p = p * z + L7;
        p = p * z + L6;
        p = p * z + L5;
        p = p * z + L4;
        p = p * z + L3;
        p = p * z + L2;
        p = p * z + L1;
        p = p * z + 1.0;
        double de = e;
        return de * LN2_HI + (de * LN2_LO + (2.0 * s) * p);
    }

    /**
     * The exact ceil(p * s) for 0 &lt;= p &lt;= 1 and 0 &lt;= s &lt; 2^63, with p * s the real product
     * (no rounding): p is mant * 2^-shift, so the product is a 128-bit integer shifted right.
     */
    static long ceilMul(double p, long s) {
        if (p == 0.0 || s == 0) {
            return 0;
        }
        if (p == 1.0) {
            return s;
        }
        long bits = Double.doubleToRawLongBits(p);
        int biased = (int) (bits >>> 52);
        long mant = bits & 0x000F_FFFF_FFFF_FFFFL;
        int shift;
        if (biased == 0) {
            shift = 1074;
        } else {
            mant |= 1L << 52;
            shift = 1075 - biased; // >= 53 since p < 1
        }
        long hi = Math.unsignedMultiplyHigh(mant, s);
        long lo = mant * s;
        if (shift >= 128) {
            return 1; // 0 < product < 2^116 <= 2^shift
        }
        long q;
        boolean remainder;
        if (shift >= 64) {
            int t = shift - 64;
            q = hi >>> t;
            remainder = lo != 0 || (t > 0 && (hi & ((1L << t) - 1)) != 0);
        } else {
            q = (hi << (64 - shift)) | (lo >>> shift);
            remainder = (lo & ((1L << shift) - 1)) != 0;
        }
        return remainder ? q + 1 : q;
    }
}
