package io.parallelix.node.crypto;

/**
 * The signed fields of an answer as one carrier presents them (an envelope, the Pxnode-* headers,
 * a stream's trailer), decoded by that carrier's rules: each is a value, or why there is none to
 * use. {@link EnvelopeVerifier} runs the same checks on every carrier and reports a field's
 * problem when its check comes, so the first failed check is the same whatever else is wrong.
 * {@code poeVersion} belongs to the POE check and is reported before {@code poe}.
 */
record Presented(
        Field<String> requestId,
        Field<String> sigAlg,
        Field<String> nodeIdHex,
        Field<PoeVersion> poeVersion,
        Field<byte[]> poe,
        Field<byte[]> sig) {

    sealed interface Field<T> {
        record Present<T>(T value) implements Field<T> {}

        /** The detail names the field as its carrier spells it (a header, a trailer field). */
        record Problem<T>(String detail) implements Field<T> {}
    }

    static <T> Field<T> present(T value) {
        return new Field.Present<>(value);
    }

    static <T> Field<T> problem(String detail) {
        return new Field.Problem<>(detail);
    }
}
