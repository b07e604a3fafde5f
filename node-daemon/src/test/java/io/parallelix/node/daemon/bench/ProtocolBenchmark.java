package io.parallelix.node.daemon.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.protocol.DecodedRequest;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.EnvelopeJson;
import io.parallelix.node.daemon.protocol.EnvelopeMeta;
import io.parallelix.node.daemon.protocol.InferRequestDecoder;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.protocol.StageTimings;
import io.parallelix.node.gpu.RuntimeFingerprint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The node's own per-request work around the engine and the signer, one thread: decoding the bench
 * workloads' requests (JSON, and the binary tensor extension) and writing the JSON envelope for a
 * result of each workload's size (base64 inside), through the mapper and through EnvelopeJson. Tensor building and safetensors encoding are in
 * node-gpu's EngineBenchmark, PoE and signing in node-crypto's CryptoBenchmark; scripts/bench.sh jmh
 * runs all three.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ProtocolBenchmark {
    @Param({"add", "minilm-16", "minilm-128"})
    public String workload = "add";

    private InferRequestDecoder decoder;
    private ObjectMapper mapper;
    private byte[] json;
    private byte[] binary;
    private int binaryJsonLength;
    private Envelope envelope;
    private EnvelopeJson envelopeJson;

    @Setup
    public void setUp() {
        Json j = new Json(64 << 20);
        decoder = new InferRequestDecoder(j.factory());
        mapper = j.mapper();
        envelopeJson = new EnvelopeJson(mapper);
        Workload w = Workload.byName(workload);
        json = w.json();
        binary = w.binary();
        binaryJsonLength = w.binaryJsonLength();
        int tokens = workload.equals("add") ? 0 : Integer.parseInt(workload.substring("minilm-".length()));
        byte[] result = new byte[workload.equals("add") ? 280 : tokens * 384 * 4 + 344];
        new Random(1).nextBytes(result);
        byte[] sig = new byte[384];
        new Random(2).nextBytes(sig);
        envelope = new Envelope(
                Workload.REQUEST_ID,
                "ab".repeat(32),
                result,
                Envelope.RESULT_FORMAT,
                "cd".repeat(32),
                sig,
                "PS256",
                1,
                new EnvelopeMeta(
                        w.model(),
                        "ef".repeat(32),
                        "01".repeat(32),
                        new StageTimings(12, 30, 1, 8, 41, 9, 1350, 1460),
                        new RuntimeFingerprint("1.29.0", "CPUExecutionProvider", null, null, null, null, true),
                        "SunRsaSign"));
    }

    @Benchmark
    public DecodedRequest decodeJson() {
        return decoder.decode(json, -1);
    }

    @Benchmark
    public DecodedRequest decodeBinary() {
        return decoder.decode(binary, binaryJsonLength);
    }

    /**
     * The envelope through the mapper into a buffer that starts small and doubles, as Responses.json
     * did before EnvelopeJson (Netty's default 256-byte first buffer).
     */
    @Benchmark
    public int envelopeMapper() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        mapper.writeValue(out, envelope);
        return out.size();
    }

    /** The envelope as Responses.envelope writes it: EnvelopeJson into a buffer sized once. */
    @Benchmark
    public int envelopeWriter() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(EnvelopeJson.sizeHint(envelope));
        envelopeJson.write(envelope, out);
        return out.size();
    }
}
