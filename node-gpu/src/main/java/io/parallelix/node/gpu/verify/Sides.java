package io.parallelix.node.gpu.verify;

/**
 * What a comparison's details call its two sides: {@link #RERUN} for a verifier (the claimed
 * answer against its own re-run), or any two names for comparing two nodes' answers
 * ({@code pxnode verify --compare A B}: {@code new Sides("A", "B")}). The second side is the
 * reference that relative tolerances scale with.
 */
public record Sides(String first, String second) {
    public static final Sides RERUN = new Sides("the claimed result", "the re-run");
}
