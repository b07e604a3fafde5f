package io.parallelix.node.gpu.sampling;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A vector's logits: listed, or for a large vocabulary made by a formula both implementations
 * compute exactly: v = ((id * mul + add) mod 2^32) &gt;&gt; 8, logit = float32((v - 2^23) * 2^scaleLog2),
 * then the listed peaks override single ids.
 */
sealed interface VectorLogits {
    float[] values();

    ObjectNode json(JsonNodeFactory f);

    record Listed(List<Float> logits) implements VectorLogits {
        static Listed of(float... values) {
            Float[] boxed = new Float[values.length];
            for (int i = 0; i < values.length; i++) {
                boxed[i] = values[i];
            }
            return new Listed(List.of(boxed));
        }

        @Override
        public float[] values() {
            float[] out = new float[logits.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = logits.get(i);
            }
            return out;
        }

        @Override
        public ObjectNode json(JsonNodeFactory f) {
            ObjectNode node = f.objectNode();
            // as the doubles the floats convert to exactly, so a reader rounds nothing
            ArrayNode values = node.putArray("values");
            logits.forEach(l -> {
                if (l == Float.NEGATIVE_INFINITY) {
                    values.add("-Infinity");
                } else {
                    values.add((double) l);
                }
            });
            return node;
        }
    }

    record Hashed(int vocab, long mul, long add, int scaleLog2, List<Peak> peaks) implements VectorLogits {
        record Peak(int token, float logit) {}

        @Override
        public float[] values() {
            float[] out = new float[vocab];
            float scale = Math.scalb(1.0f, scaleLog2);
            for (int i = 0; i < vocab; i++) {
                int v = (int) (((i * mul + add) & 0xFFFF_FFFFL) >>> 8);
                out[i] = (v - (1 << 23)) * scale;
            }
            peaks.forEach(p -> out[p.token()] = p.logit());
            return out;
        }

        @Override
        public ObjectNode json(JsonNodeFactory f) {
            ObjectNode h = f.objectNode();
            h.put("vocab", vocab).put("mul", mul).put("add", add).put("scale_log2", scaleLog2);
            ArrayNode list = h.putArray("peaks");
            peaks.forEach(p -> list.addArray().add(p.token()).add((double) p.logit()));
            ObjectNode node = f.objectNode();
            node.set("hashed", h);
            return node;
        }
    }
}
