package io.parallelix.node.daemon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.crypto.SignedStream;
import io.parallelix.node.crypto.Verdict;
import io.parallelix.node.daemon.error.Messages;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.gpu.Safetensors;
import io.parallelix.node.gpu.verify.CheckResult;
import io.parallelix.node.gpu.verify.Sides;
import io.parallelix.node.gpu.verify.TensorComparison;
import io.parallelix.node.gpu.verify.TensorPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The coordinator's check of an envelope, and the re-dispatch comparison of two. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verify an envelope (FILE, or - for stdin): node_id matches the key, PoE recomputes, signature holds.",
            "With --body B --headers H: an answer whose body is the result (OpenAI-shaped JSON, octet-stream)"
                    + " and whose PoE is in its Pxnode-* headers (H: the raw block, as curl -D writes it).",
            "With --stream S: a streamed answer (SSE, OpenAI stream: true; S: the body as received, e.g. curl -N,"
                    + " or - for stdin) whose PoE is its trailer line ': pxnode-poe {...}' before 'data: [DONE]'.",
            "With --compare A B: both verify (when a key source is given) and their results agree.",
            "Exit 0 valid / equal, 1 invalid / different, 2 usage."
        })
final class VerifyCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ENVELOPE", arity = "0..1", description = "Envelope JSON file, or - for stdin (default).")
    @Nullable
    String envelope;

    @ArgGroup(exclusive = true)
    @Nullable
    KeySource keySource;

    static final class KeySource {
        @Option(names = "--public-key", paramLabel = "FILE", description = "The node's public key (PEM).")
        @Nullable
        Path publicKey;

        @Option(names = "--identity", paramLabel = "FILE", description = "The node's identity document (GET /v1/node).")
        @Nullable
        Path identity;

        @Option(names = "--node", paramLabel = "URL", description = "Fetch the identity document from a running node.")
        @Nullable
        String node;
    }

    @Option(
            names = "--compare",
            arity = "2",
            paramLabel = "ENVELOPE",
            description = "Compare the results of two envelopes.")
    @Nullable
    List<Path> compare;

    @Option(names = "--body", paramLabel = "FILE", description = "The body of an answer with its PoE in headers.")
    @Nullable
    Path body;

    @Option(names = "--headers", paramLabel = "FILE", description = "That answer's raw header block (curl -D).")
    @Nullable
    Path headers;

    @Option(
            names = "--stream",
            paramLabel = "FILE",
            description = "A streamed answer (SSE) with its signed trailer, or - for stdin.")
    @Nullable
    String stream;

    @Option(
            names = "--request-id",
            paramLabel = "ID",
            description = "With --body or --stream: the id the coordinator allocated; the answer's must be it.")
    @Nullable
    String requestId;

    @Option(
            names = "--print-text",
            description = "With --stream: after \"valid\", each choice's generated text and finish_reason as JSON.")
    boolean printText;

    @Option(
            names = "--rerun",
            paramLabel = "REQUEST",
            description = "Have a verifying node (--verifier) check the answer (ENVELOPE, --body/--headers or --stream)"
                    + " to REQUEST (the original request body, JSON): PoE and signature, then a re-run (tensors,"
                    + " embeddings) or one teacher-forced prefill (generations) under its policy.")
    @Nullable
    Path rerun;

    @Option(
            names = "--endpoint",
            paramLabel = "PATH",
            description = "With --rerun: what the claimer served, e.g. /v1/chat/completions, /v2/models/add/infer.")
    @Nullable
    String endpoint;

    @Option(names = "--model", paramLabel = "NAME", description = "With --rerun: the verifier's model to check with.")
    @Nullable
    String model;

    @Option(
            names = "--verifier",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8080",
            description = "With --rerun: the verifying node (default: ${DEFAULT-VALUE}).")
    String verifier = "http://127.0.0.1:8080";

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "With --compare on OpenAI answers: the node config whose verification: policy applies"
                    + " (default: the built-in one).")
    @Nullable
    Path config;

    @Option(
            names = "--tolerance",
            defaultValue = "0",
            description = "Largest absolute difference accepted per floating-point element (default: 0, bitwise).")
    double tolerance;

    VerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new Json(512 << 20).mapper();
        try {
            if (compare != null) {
                if (envelope != null) {
                    throw new ExitCodes.UsageException("give either ENVELOPE or --compare A B, not both");
                }
                byte[] first = Files.readAllBytes(compare.get(0));
                byte[] second = Files.readAllBytes(compare.get(1));
                if (!AnswerComparison.isEnvelope(mapper, first) || !AnswerComparison.isEnvelope(mapper, second)) {
                    return new AnswerComparison(mapper, policy())
                            .compare(
                                    out,
                                    compare.get(0).toString(),
                                    first,
                                    compare.get(1).toString(),
                                    second);
                }
                return compare(
                        out,
                        mapper,
                        read(mapper, compare.get(0).toString()),
                        read(mapper, compare.get(1).toString()));
            }
            if (keySource == null) {
                throw new ExitCodes.UsageException("say whose envelope it is: --public-key, --identity or --node");
            }
            if (rerun != null) {
                return rerun(out, mapper);
            }
            if (endpoint != null || model != null) {
                throw new ExitCodes.UsageException("--endpoint and --model go with --rerun");
            }
            if (stream != null) {
                return verifyStream(out, mapper, stream);
            }
            if (printText) {
                throw new ExitCodes.UsageException("--print-text goes with --stream");
            }
            if (body != null || headers != null) {
                return verifyHeaders(out, mapper);
            }
            if (requestId != null) {
                throw new ExitCodes.UsageException("--request-id goes with --body and --headers, or --stream");
            }
            return verifyOne(out, mapper, read(mapper, envelope == null ? "-" : envelope));
        } catch (MalformedEnvelope e) {
            out.println("invalid: malformed envelope: " + e.getMessage());
            out.flush();
            return ExitCodes.CHECK_FAILED;
        }
    }

    /** The answer in the form it came, as POST /v1/verify takes it; the claimer's key from the key source. */
    private int rerun(PrintWriter out, ObjectMapper mapper) throws Exception {
        if (endpoint == null || model == null) {
            throw new ExitCodes.UsageException("--rerun needs --endpoint (what the claimer served) and --model");
        }
        if (printText || requestId != null) {
            throw new ExitCodes.UsageException("--print-text and --request-id do not go with --rerun");
        }
        com.fasterxml.jackson.databind.node.ObjectNode answer = mapper.createObjectNode();
        if (stream != null) {
            if (envelope != null || body != null || headers != null) {
                throw new ExitCodes.UsageException("--stream takes no ENVELOPE, --body or --headers");
            }
            byte[] raw = stream.equals("-") ? context.stdin().readAllBytes() : Files.readAllBytes(Path.of(stream));
            answer.put("stream", new String(raw, StandardCharsets.UTF_8));
        } else if (body != null || headers != null) {
            if (body == null || headers == null || envelope != null) {
                throw new ExitCodes.UsageException("--body and --headers go together, without an ENVELOPE");
            }
            answer.put("body", Files.readString(body, StandardCharsets.UTF_8));
            com.fasterxml.jackson.databind.node.ObjectNode h = answer.putObject("headers");
            try {
                SignedHeaders.parse(Files.readString(headers, StandardCharsets.ISO_8859_1))
                        .forEach((name, values) -> h.put(name, values.get(values.size() - 1)));
            } catch (IllegalArgumentException e) {
                throw new MalformedEnvelope(headers + ": " + e.getMessage());
            }
        } else {
            String source = envelope == null ? "-" : envelope;
            byte[] bytes = source.equals("-") ? context.stdin().readAllBytes() : Files.readAllBytes(Path.of(source));
            try {
                answer.set("envelope", mapper.readTree(bytes)); // as received: the verifier reads it
            } catch (IOException e) {
                throw new MalformedEnvelope(source + ": " + Messages.firstLine(e.getMessage()));
            }
        }
        com.fasterxml.jackson.databind.JsonNode request;
        try {
            request = mapper.readTree(Files.readAllBytes(java.util.Objects.requireNonNull(rerun)));
        } catch (IOException e) {
            throw new ExitCodes.UsageException(rerun + ": not a JSON request: " + Messages.firstLine(e.getMessage()));
        }
        return new VerifyRerun(mapper)
                .run(out, verifier, new VerifyRerun.Claim(endpoint, model, request, answer, key(mapper)));
    }

    private io.parallelix.node.gpu.verify.VerifyPolicy policy() throws Exception {
        return new io.parallelix.node.daemon.config.ConfigLoader(context.env(), context.home())
                .load(config, Map.of())
                .verification()
                .policy();
    }

    /** The input is not an envelope at all: a verdict (invalid), not a usage error. */
    private static final class MalformedEnvelope extends Exception {
        MalformedEnvelope(String message) {
            super(message);
        }
    }

    private int verifyOne(PrintWriter out, ObjectMapper mapper, Envelope e) throws Exception {
        Verdict v = verify(mapper, e);
        out.println(v.valid() ? "valid" : "invalid: " + v.failed() + ": " + v.detail());
        out.flush();
        return v.valid() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private Verdict verify(ObjectMapper mapper, Envelope e) throws Exception {
        return e.verify(new EnvelopeVerifier(CryptoProvider.JDK), key(mapper));
    }

    private RSAPublicKey key(ObjectMapper mapper) throws Exception {
        KeySource k = java.util.Objects.requireNonNull(keySource);
        return k.publicKey != null
                ? NodeDocuments.fromPem(k.publicKey)
                : k.identity != null
                        ? NodeDocuments.fromDocument(mapper, k.identity).publicKey()
                        : NodeDocuments.fromNode(mapper, java.util.Objects.requireNonNull(k.node))
                                .publicKey();
    }

    /** The body's bytes as received, the header block as curl -D wrote it (ISO-8859-1, as HTTP's bytes are). */
    private int verifyHeaders(PrintWriter out, ObjectMapper mapper) throws Exception {
        if (body == null || headers == null || envelope != null) {
            throw new ExitCodes.UsageException("--body and --headers go together, without an ENVELOPE");
        }
        byte[] result = Files.readAllBytes(body);
        Map<String, List<String>> parsed;
        try {
            parsed = SignedHeaders.parse(Files.readString(headers, StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            throw new MalformedEnvelope(headers + ": " + e.getMessage());
        }
        EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
        Verdict v = requestId != null
                ? verifier.verifyHeaders(result, parsed, requestId, key(mapper))
                : verifier.verifyHeaders(result, parsed, key(mapper));
        out.println(v.valid() ? "valid" : "invalid: " + v.failed() + ": " + v.detail());
        out.flush();
        return v.valid() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    /**
     * Every byte of the body as received (curl -N -o, or piped): the signed result is what precedes
     * the trailer, so nothing may be re-encoded on the way. With --print-text, a valid stream's
     * chunks that are not OpenAI chunks make it invalid (RESULT), as verify_envelope.py does.
     */
    private int verifyStream(PrintWriter out, ObjectMapper mapper, String source) throws Exception {
        if (envelope != null || body != null || headers != null) {
            throw new ExitCodes.UsageException("--stream takes no ENVELOPE, --body or --headers");
        }
        byte[] raw = source.equals("-") ? context.stdin().readAllBytes() : Files.readAllBytes(Path.of(source));
        EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
        Verdict v = requestId != null
                ? verifier.verifyStream(raw, requestId, key(mapper))
                : verifier.verifyStream(raw, key(mapper));
        String text = null;
        if (v.valid() && printText) {
            try {
                text = mapper.writeValueAsString(
                        StreamText.of(mapper, ((SignedStream.Framed) SignedStream.read(raw)).result()));
            } catch (IllegalArgumentException e) {
                out.println("invalid: RESULT: " + e.getMessage());
                out.flush();
                return ExitCodes.CHECK_FAILED;
            }
        }
        out.println(v.valid() ? "valid" : "invalid: " + v.failed() + ": " + v.detail());
        if (text != null) {
            out.println(text);
        }
        out.flush();
        return v.valid() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private int compare(PrintWriter out, ObjectMapper mapper, Envelope a, Envelope b) throws Exception {
        boolean ok = true;
        if (keySource != null) {
            for (Envelope e : List.of(a, b)) {
                Verdict v = verify(mapper, e);
                out.println("envelope " + e.nodeId() + ": "
                        + (v.valid() ? "valid" : "invalid: " + v.failed() + ": " + v.detail()));
                ok &= v.valid();
            }
        }
        if (!a.requestId().equals(b.requestId())) {
            out.println("different requests: " + a.requestId() + " vs " + b.requestId());
            out.flush();
            return ExitCodes.CHECK_FAILED;
        }
        Safetensors.File ra;
        Safetensors.File rb;
        try {
            ra = Safetensors.decode(a.result());
            rb = Safetensors.decode(b.result());
        } catch (IllegalArgumentException e) {
            out.println("a result is not canonical safetensors: " + e.getMessage());
            out.flush();
            return ExitCodes.CHECK_FAILED;
        }
        // --tolerance: one absolute bound for every float dtype (0: equal values; NaN equals NaN in place)
        TensorPolicy policy =
                new TensorPolicy(new TensorPolicy.Tolerance(tolerance, 0), new TensorPolicy.Tolerance(tolerance, 0));
        for (CheckResult c : TensorComparison.compare(ra, rb, policy, false, new Sides("A", "B"))) {
            boolean equal = Boolean.TRUE.equals(c.statistics().get("bitwise_equal"));
            String verdict = equal ? "equal" : c.passed() ? "within tolerance" : "DIFFERENT";
            out.println(c.name() + ": " + verdict + " (" + c.detail() + ")");
            ok &= c.passed();
        }
        out.println(ok ? "results agree" : "results disagree");
        out.flush();
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private Envelope read(ObjectMapper mapper, String source) throws IOException, MalformedEnvelope {
        byte[] bytes = source.equals("-") ? context.stdin().readAllBytes() : Files.readAllBytes(Path.of(source));
        try {
            return mapper.readValue(bytes, Envelope.class);
        } catch (IOException | RuntimeException e) {
            throw new MalformedEnvelope(
                    (source.equals("-") ? "stdin" : source) + ": " + Messages.firstLine(e.getMessage()));
        }
    }
}
