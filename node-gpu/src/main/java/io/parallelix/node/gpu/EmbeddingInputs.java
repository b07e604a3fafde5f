package io.parallelix.node.gpu;

import io.parallelix.node.gpu.text.Tokenizer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * An embedding request's inputs as the model takes them: every input tokenized and checked
 * against the model's bounds (or truncated when asked), grouped into batches sorted by length (so
 * little padding), each batch as tensors padded on the right.
 */
final class EmbeddingInputs implements AutoCloseable {
    private final Tokenizer tokenizer;
    private final EmbeddingLayout layout;
    private final SpecialTokens specials;
    private final int maxBatch;
    private final int maxBatchTokens;
    private final boolean unbatched;

    EmbeddingInputs(Tokenizer tokenizer, EmbeddingLayout layout, int maxBatch, int maxBatchTokens, boolean unbatched) {
        this.tokenizer = tokenizer;
        this.layout = layout;
        this.specials = SpecialTokens.of(tokenizer);
        this.maxBatch = maxBatch;
        this.maxBatchTokens = maxBatchTokens;
        this.unbatched = unbatched;
    }

    EmbeddingLayout layout() {
        return layout;
    }

    int vocabSize() {
        return tokenizer.vocabSize();
    }

    /** Token ids of every input, after the length check (and truncation when asked). */
    int[][] tokenize(EmbeddingRequest request) throws InferenceException.InvalidInput {
        int[][] ids = new int[request.inputs().size()][];
        for (int i = 0; i < ids.length; i++) {
            String field = "input[" + i + "]";
            boolean text = request.inputs().get(i) instanceof EmbeddingInput.Text;
            int[] one = switch (request.inputs().get(i)) {
                case EmbeddingInput.Text t -> encode(field, t.text());
                case EmbeddingInput.Tokens t -> checkIds(field, t.ids());
            };
            if (one.length == 0) {
                throw new InferenceException.InvalidInput(
                        field, field + " has no tokens; each input needs at least one");
            }
            if (one.length > layout.maxTokens()) {
                if (!request.truncate()) {
                    throw new InferenceException.InvalidInput(
                            field,
                            field + " has " + one.length + " tokens; model '"
                                    + request.model() + "' takes at most " + layout.maxTokens()
                                    + ". Fix: shorten it, or send"
                                    + " \"truncate\": true to cut it to the limit.");
                }
                // Ids from the client carry no special tokens of ours: those are cut as they are.
                one = text ? specials.truncate(field, one, layout.maxTokens()) : Arrays.copyOf(one, layout.maxTokens());
            }
            ids[i] = one;
        }
        return ids;
    }

    private int[] encode(String field, String text) throws InferenceException.InvalidInput {
        try {
            return tokenizer.encode(text, true);
        } catch (IllegalArgumentException e) {
            throw new InferenceException.InvalidInput(field, field + " cannot be tokenized: " + e.getMessage());
        }
    }

    private int[] checkIds(String field, int[] ids) throws InferenceException.InvalidInput {
        int vocab = tokenizer.vocabSize();
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] < 0 || ids[j] >= vocab) {
                throw new InferenceException.InvalidInput(
                        field,
                        field + "[" + j + "] is token id " + ids[j] + ", outside the model's vocabulary (0 to "
                                + (vocab - 1) + ")");
            }
        }
        return ids.clone();
    }

    /** The batches: indices sorted by length (ties by index), cut by rows and by padded tokens. */
    List<int[]> batches(int[][] ids) {
        Integer[] order = new Integer[ids.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> ids[i].length).thenComparingInt(i -> i));
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int index : order) {
            int rows = current.size() + 1;
            boolean fits = !unbatched && rows <= maxBatch && (long) rows * ids[index].length <= maxBatchTokens;
            if (!current.isEmpty() && !fits) {
                batches.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
            }
            current.add(index);
        }
        if (!current.isEmpty()) {
            batches.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
        return batches;
    }

    /** The input tensors of one batch, padded on the right to its longest row. */
    List<InputTensor> tensors(int[][] ids, int[] batch) {
        int length = 0;
        for (int i : batch) {
            length = Math.max(length, ids[i].length);
        }
        List<Long> shape = List.of((long) batch.length, (long) length);
        int width = layout.idType() == DataType.INT64 ? 8 : 4;
        ByteBuffer inputIds = ByteBuffer.allocate(batch.length * length * width).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer mask = ByteBuffer.allocate(batch.length * length * width).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer positions =
                ByteBuffer.allocate(batch.length * length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : batch) {
            for (int t = 0; t < length; t++) {
                boolean real = t < ids[i].length;
                put(inputIds, width, real ? ids[i][t] : 0);
                put(mask, width, real ? 1 : 0);
                put(positions, width, t);
            }
        }
        List<InputTensor> inputs = new ArrayList<>();
        inputs.add(new InputTensor(EmbeddingLayout.INPUT_IDS, layout.idType(), shape, inputIds.flip()));
        if (layout.attentionMask()) {
            inputs.add(new InputTensor(EmbeddingLayout.ATTENTION_MASK, layout.idType(), shape, mask.flip()));
        }
        if (layout.tokenTypeIds()) {
            ByteBuffer zeros = ByteBuffer.allocate(batch.length * length * width);
            inputs.add(new InputTensor(EmbeddingLayout.TOKEN_TYPE_IDS, layout.idType(), shape, zeros));
        }
        if (layout.positionIds()) {
            inputs.add(new InputTensor(EmbeddingLayout.POSITION_IDS, layout.idType(), shape, positions.flip()));
        }
        return inputs;
    }

    private static void put(ByteBuffer b, int width, int value) {
        if (width == 8) {
            b.putLong(value);
        } else {
            b.putInt(value);
        }
    }

    /** SHA-256 over, per input in order: u32le(token count), then each id as u32le. */
    static String inputsSha256(int[][] ids) {
        MessageDigest sha = FileDigest.newSha256();
        ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] one : ids) {
            sha.update(word.clear().putInt(one.length).array());
            for (int id : one) {
                sha.update(word.clear().putInt(id).array());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
