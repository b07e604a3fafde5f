package io.parallelix.node.crypto;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The PoE layouts a node can commit with ({@link ProofOfExecution} holds the bytes of each). V1 is
 * the network's protocol and the default; V2 frames its fields and is asked for per request.
 */
public enum PoeVersion {
    V1(1),
    V2(2);

    /** What a node answers with when the request does not ask. */
    public static final PoeVersion DEFAULT = V1;

    private final int number;

    PoeVersion(int number) {
        this.number = number;
    }

    /** The integer that travels as {@code poe_version} / {@code Pxnode-Poe-Version}. */
    public int number() {
        return number;
    }

    public static Optional<PoeVersion> of(long number) {
        return Arrays.stream(values()).filter(v -> v.number == number).findFirst();
    }

    /**
     * The version written as exactly its decimal digits ("1", "2"): no sign, spaces, leading zeros
     * or fraction, so every verifier takes the same texts.
     */
    public static Optional<PoeVersion> parse(String text) {
        return Arrays.stream(values())
                .filter(v -> Integer.toString(v.number).equals(text))
                .findFirst();
    }

    /** "1, 2": for messages that say what is known. */
    public static String known() {
        return Arrays.stream(values()).map(v -> Integer.toString(v.number)).collect(Collectors.joining(", "));
    }
}
