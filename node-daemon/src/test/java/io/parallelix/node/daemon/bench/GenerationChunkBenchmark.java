package io.parallelix.node.daemon.bench;

import io.parallelix.node.daemon.protocol.CompletionsRequest;
import io.parallelix.node.daemon.protocol.GenerationJson;
import java.io.ByteArrayOutputStream;
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
 * One streamed token's SSE event as the node writes it (StreamEvents: GenerationJson.tokenEvent
 * into a fresh builder, UTF-8 bytes, and the copy the signed stream keeps of every byte sent), µs
 * per token, for completions and chat. Not included: the hand-off to Netty's event loop
 * (writeAndFlush from the worker) and the socket write. The node-gpu half of the per-token loop is
 * GenerationLoopBenchmark; scripts/bench.sh jmh runs both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GenerationChunkBenchmark {
    private static final String[] PIECES = {" the", " node", " serves", " signed", " answers", ",", " Zürich", "\n"};

    @Param({"COMPLETIONS", "CHAT"})
    public String api = "COMPLETIONS";

    private GenerationJson.Head head;
    private ByteArrayOutputStream sent;
    private int n;

    @Setup
    public void setUp() {
        head = new GenerationJson.Head(
                CompletionsRequest.Api.valueOf(api),
                "cmpl-bench-0123456789abcdef",
                1_764_633_600L,
                "bench-llama",
                false);
        sent = new ByteArrayOutputStream(1 << 16);
    }

    @Benchmark
    public byte[] tokenEvent() {
        int i = n++;
        if (sent.size() > (1 << 20)) { // a long answer's copy, reset before it grows without bound
            sent.reset();
        }
        StringBuilder events = new StringBuilder(256);
        GenerationJson.tokenEvent(events, head, 0, PIECES[i & 7], 1000 + (i & 1023), null, i, null);
        byte[] bytes = GenerationJson.utf8(events);
        sent.writeBytes(bytes);
        return bytes;
    }
}
