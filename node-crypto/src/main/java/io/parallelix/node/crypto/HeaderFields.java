package io.parallelix.node.crypto;

import io.parallelix.node.crypto.Presented.Field;
import java.util.List;
import java.util.Map;

/**
 * The signed fields as the {@link SignedHeaders} carry them: each header exactly once, the poe
 * with its version header ({@link HeaderPoe}), the signature in canonical base64.
 */
final class HeaderFields {
    private HeaderFields() {}

    static Presented of(Map<String, List<String>> headers) {
        return new Presented(
                text(headers, SignedHeaders.REQUEST_ID),
                text(headers, SignedHeaders.SIG_ALG),
                text(headers, SignedHeaders.NODE_ID),
                version(headers),
                poe(headers),
                sig(headers));
    }

    private static Field<String> text(Map<String, List<String>> headers, String name) {
        SignedHeaders.Value v = SignedHeaders.one(headers, name);
        String problem = SignedHeaders.problem(v);
        return problem != null ? Presented.problem(problem) : Presented.present(SignedHeaders.value(v));
    }

    private static Field<PoeVersion> version(Map<String, List<String>> headers) {
        HeaderPoe poe = HeaderPoe.read(headers);
        return poe instanceof HeaderPoe.Read read
                ? Presented.present(read.version())
                : Presented.problem(((HeaderPoe.Refused) poe).verdict().detail());
    }

    private static Field<byte[]> poe(Map<String, List<String>> headers) {
        HeaderPoe poe = HeaderPoe.read(headers);
        return poe instanceof HeaderPoe.Read read
                ? Presented.present(read.poe())
                : Presented.problem(((HeaderPoe.Refused) poe).verdict().detail());
    }

    private static Field<byte[]> sig(Map<String, List<String>> headers) {
        Field<String> text = text(headers, SignedHeaders.SIG);
        if (text instanceof Field.Problem<String> p) {
            return Presented.problem(p.detail());
        }
        byte[] sig = HeaderPoe.canonicalBase64(((Field.Present<String>) text).value());
        return sig != null
                ? Presented.present(sig)
                : Presented.problem("header " + SignedHeaders.SIG + " is not canonical base64");
    }
}
