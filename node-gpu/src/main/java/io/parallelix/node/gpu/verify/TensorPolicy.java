package io.parallelix.node.gpu.verify;

/**
 * How close a re-run tensor must be to the claimed one when bitwise equality is not required:
 * |claimed - mine| <= absolute + relative * |mine| per element, per floating-point dtype family
 * (fp32/fp64, fp16/bf16). Integer, bool and string tensors are always compared exactly.
 * Defaults: docs/verification.md (measured by TensorVerificationEvidenceTest): fp32 the widest
 * tolerance of the sweep that still catches every cheat there (an fp16 copy comes closest, at 1.8
 * times it) while honest reorderings use 1.5% of it; fp16 one bf16 ulp (2^-7 relative) with a
 * floor for cancellations near zero.
 */
public record TensorPolicy(Tolerance fp32, Tolerance fp16) {
    /** One dtype family's tolerance. */
    public record Tolerance(double absolute, double relative) {
        public Tolerance {
            if (!(absolute >= 0) || !(relative >= 0)) {
                throw new IllegalArgumentException("tolerances must be >= 0, got " + absolute + ", " + relative);
            }
        }

        public boolean within(double claimed, double mine) {
            return Math.abs(claimed - mine) <= absolute + relative * Math.abs(mine);
        }
    }

    public static TensorPolicy defaults() {
        return new TensorPolicy(new Tolerance(1e-4, 1e-3), new Tolerance(1e-3, 1e-2));
    }
}
