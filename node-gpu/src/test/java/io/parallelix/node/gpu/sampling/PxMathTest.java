package io.parallelix.node.gpu.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class PxMathTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(2718);

    @Test
    void exp_acrossItsDomain_isWithinFourUlpsOfStrictMath() {
        assertThat(worstUlps(PxMath::exp, StrictMath::exp, () -> -RANDOM.nextDouble(0, 708)))
                .isLessThanOrEqualTo(4);
        assertThat(worstUlps(PxMath::exp, StrictMath::exp, () -> -RANDOM.nextDouble(0, 1)))
                .isLessThanOrEqualTo(4);
    }

    @Test
    void expw_acrossItsDomain_isWithinFiveUlpsOfStrictMathAndExpBelowTheTable() {
        assertThat(worstUlps(PxMath::expw, StrictMath::exp, () -> -RANDOM.nextDouble(0, 32)))
                .isLessThanOrEqualTo(5);
        assertThat(worstUlps(PxMath::expw, StrictMath::exp, () -> -RANDOM.nextDouble(0, 0.02)))
                .isLessThanOrEqualTo(5);
        assertThat(PxMath.expw(0.0)).isEqualTo(1.0);
        assertThat(PxMath.expw(-32.0)).as("T[2048] * P(0)").isEqualTo(PxMath.exp(-32.0));
        assertThat(PxMath.expw(-0.5)).as("T[32] * P(0)").isEqualTo(PxMath.exp(-0.5));
        assertThat(PxMath.expw(Math.nextDown(-32.0))).isEqualTo(PxMath.exp(Math.nextDown(-32.0)));
        assertThat(PxMath.expw(-40.5)).isEqualTo(PxMath.exp(-40.5));
        assertThat(PxMath.expw(Double.NEGATIVE_INFINITY)).isZero();
    }

    @Test
    void exp_atTheEdges_isExact() {
        assertThat(PxMath.exp(0.0)).isEqualTo(1.0);
        assertThat(PxMath.exp(-0.0)).isEqualTo(1.0);
        assertThat(PxMath.exp(-708.0)).isGreaterThan(Double.MIN_NORMAL);
        assertThat(PxMath.exp(Math.nextDown(-708.0))).isZero();
        assertThat(PxMath.exp(Double.NEGATIVE_INFINITY)).isZero();
    }

    @Test
    void expw_belowTheWeightCutoff_alwaysTruncatesToWeightZero() {
        // Sampler skips expw for x < -32: the weight trunc(expw(x) * 2^42) is 0 there, with margin
        double firstPositive = Double.NaN;
        for (double x = -29.2; x > -45 && Double.isNaN(firstPositive); x -= 1e-5) {
            if ((long) (PxMath.expw(x) * 0x1p42) != 0) {
                firstPositive = x;
            }
        }
        assertThat(firstPositive).as("an x below -29.2 with a positive weight").isNaN();
        assertThat((long) (PxMath.expw(-29.0) * 0x1p42)).isPositive();
    }

    @Test
    void lnAtLeastOne_fromOneToTheLargestVocabulary_isWithinFourUlpsOfStrictMath() {
        assertThat(PxMath.lnAtLeastOne(1.0)).isZero();
        assertThat(worstUlps(PxMath::lnAtLeastOne, StrictMath::log, () -> 1 + RANDOM.nextDouble(0, 1)))
                .isLessThanOrEqualTo(4);
        assertThat(worstUlps(PxMath::lnAtLeastOne, StrictMath::log, () -> Math.exp(RANDOM.nextDouble(0, 14))))
                .isLessThanOrEqualTo(4);
    }

    @Test
    void ceilMul_randomAndEdgeInputs_equalsExactArithmetic() {
        double[] edges = {Double.MIN_VALUE, Double.MIN_NORMAL, 1e-300, 0x1p-64, 0.5, Math.nextDown(1.0), 1.0, 0.0};
        long[] sizes = {0, 1, 3, 1L << 42, (1L << 62) - 1, 1L << 62, Long.MAX_VALUE};
        for (double p : edges) {
            for (long s : sizes) {
                assertThat(PxMath.ceilMul(p, s)).as("%s * %d", p, s).isEqualTo(exact(p, s));
            }
        }
        for (int i = 0; i < 30_000; i++) {
            double p = i % 3 == 0 ? RANDOM.nextDouble() : Math.scalb(RANDOM.nextDouble(), -RANDOM.nextInt(0, 1100));
            long s = RANDOM.nextLong(0, Long.MAX_VALUE);
            long got = PxMath.ceilMul(p, s);
            if (got != exact(p, s)) {
                assertThat(got).as("%s * %d", p, s).isEqualTo(exact(p, s));
            }
        }
    }

    /** The largest distance, in ulps of the reference, over 200,000 drawn arguments. */
    private static double worstUlps(DoubleUnaryOperator f, DoubleUnaryOperator reference, DoubleSupplier x) {
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double a = x.getAsDouble();
            double expected = reference.applyAsDouble(a);
            worst = Math.max(worst, Math.abs(f.applyAsDouble(a) - expected) / Math.ulp(expected));
        }
        return worst;
    }

    private static long exact(double p, long s) {
        return new BigDecimal(p)
                .multiply(BigDecimal.valueOf(s))
                .setScale(0, RoundingMode.CEILING)
                .longValueExact();
    }
}
