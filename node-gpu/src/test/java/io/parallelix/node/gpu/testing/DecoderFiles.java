package io.parallelix.node.gpu.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.gpu.testing.DecoderSpec.Architecture;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The JSON files of a Hugging Face model directory beside the graph, with the keys real exports
 * carry: config.json (GPT2Config / LlamaConfig), generation_config.json, tokenizer.json,
 * tokenizer_config.json (with a chat_template) and special_tokens_map.json.
 */
final class DecoderFiles {
    /** role: content lines, then "assistant: " to prompt a reply. */
    static final String GPT2_CHAT_TEMPLATE =
            "{% for message in messages %}{{ message['role'] + ': ' + message['content']"
                    + " + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ 'assistant: ' }}{% endif %}";
    /** Llama-3's header/eot layout without its date and tool logic. */
    static final String LLAMA_CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>'"
            + " + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] + '<|eot_id|>' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DecoderFiles() {}

    static void write(Path dir, DecoderSpec s) throws IOException {
        boolean gpt2 = s.architecture() == Architecture.GPT2;
        write(dir, "config.json", gpt2 ? gpt2Config(s) : llamaConfig(s));
        ObjectNode generation = JSON.createObjectNode().put("bos_token_id", s.bosTokenId());
        if (gpt2) {
            generation.put("eos_token_id", s.eosTokenIds().get(0));
        } else {
            s.eosTokenIds().forEach(generation.putArray("eos_token_id")::add);
        }
        write(dir, "generation_config.json", generation.put("transformers_version", "4.46.0"));
        write(dir, "tokenizer.json", ByteLevelBpe.tokenizerJson(JSON, s, gpt2 ? null : "<|begin_of_text|>"));
        write(dir, "tokenizer_config.json", tokenizerConfig(s, gpt2));
        ObjectNode map = JSON.createObjectNode();
        if (gpt2) {
            map.put("bos_token", "<|endoftext|>")
                    .put("eos_token", "<|endoftext|>")
                    .put("unk_token", "<|endoftext|>");
        } else {
            map.set("bos_token", token("<|begin_of_text|>"));
            map.set("eos_token", token("<|eot_id|>"));
        }
        write(dir, "special_tokens_map.json", map);
    }

    private static ObjectNode gpt2Config(DecoderSpec s) {
        ObjectNode c = JSON.createObjectNode().put("activation_function", "gelu_new");
        c.putArray("architectures").add("GPT2LMHeadModel");
        return c.put("attn_pdrop", 0.0)
                .put("bos_token_id", s.bosTokenId())
                .put("embd_pdrop", 0.0)
                .put("eos_token_id", s.eosTokenIds().get(0))
                .put("initializer_range", 0.02)
                .put("layer_norm_epsilon", s.normEps())
                .put("model_type", "gpt2")
                .put("n_ctx", s.maxPositions())
                .put("n_embd", s.hiddenSize())
                .put("n_head", s.heads())
                .put("n_inner", s.intermediateSize())
                .put("n_layer", s.layers())
                .put("n_positions", s.maxPositions())
                .put("resid_pdrop", 0.0)
                .put("tie_word_embeddings", s.tiedEmbeddings())
                .put("torch_dtype", "float32")
                .put("transformers_version", "4.46.0")
                .put("use_cache", true)
                .put("vocab_size", s.vocabSize());
    }

    private static ObjectNode llamaConfig(DecoderSpec s) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("attention_bias", false)
                .put("attention_dropout", 0.0)
                .put("bos_token_id", s.bosTokenId())
                .put("eos_token_id", s.specialTokenId("<|eot_id|>"))
                .put("head_dim", s.headDim())
                .put("hidden_act", "silu")
                .put("hidden_size", s.hiddenSize())
                .put("initializer_range", 0.02)
                .put("intermediate_size", s.intermediateSize())
                .put("max_position_embeddings", s.maxPositions())
                .put("mlp_bias", false)
                .put("model_type", "llama")
                .put("num_attention_heads", s.heads())
                .put("num_hidden_layers", s.layers())
                .put("num_key_value_heads", s.kvHeads())
                .put("pretraining_tp", 1)
                .put("rms_norm_eps", s.normEps())
                .putNull("rope_scaling");
        return c.put("rope_theta", s.ropeTheta())
                .put("tie_word_embeddings", s.tiedEmbeddings())
                .put("torch_dtype", "float32")
                .put("transformers_version", "4.46.0")
                .put("use_cache", true)
                .put("vocab_size", s.vocabSize());
    }

    private static ObjectNode tokenizerConfig(DecoderSpec s, boolean gpt2) {
        ObjectNode c = JSON.createObjectNode();
        ObjectNode decoder = c.putObject("added_tokens_decoder");
        for (String special : s.specialTokens()) {
            decoder.set(
                    Integer.toString(s.specialTokenId(special)), token(special).put("special", true));
        }
        String bos = gpt2 ? "<|endoftext|>" : "<|begin_of_text|>";
        String eos = gpt2 ? "<|endoftext|>" : "<|eot_id|>";
        c.put("bos_token", bos)
                .put("chat_template", gpt2 ? GPT2_CHAT_TEMPLATE : LLAMA_CHAT_TEMPLATE)
                .put("clean_up_tokenization_spaces", false)
                .put("eos_token", eos);
        c.putArray("model_input_names").add("input_ids").add("attention_mask");
        c.put("model_max_length", s.maxPositions())
                .put("tokenizer_class", gpt2 ? "GPT2Tokenizer" : "PreTrainedTokenizerFast");
        if (gpt2) {
            c.put("add_bos_token", false).put("unk_token", "<|endoftext|>");
        }
        return c;
    }

    private static ObjectNode token(String content) {
        return JSON.createObjectNode()
                .put("content", content)
                .put("lstrip", false)
                .put("normalized", false)
                .put("rstrip", false)
                .put("single_word", false);
    }

    private static void write(Path dir, String file, ObjectNode tree) throws IOException {
        JSON.writeValue(dir.resolve(file).toFile(), tree);
    }
}
