/**
 * Text to token ids and back with Hugging Face's Rust tokenizers (the {@code libtokenizers.so}
 * that DJL builds), byte-for-byte the ids of Hugging Face {@code tokenizers}. Entry:
 * {@link io.parallelix.node.gpu.text.TokenizerLibrary#load} once per process, then
 * {@link io.parallelix.node.gpu.text.Tokenizer#open} per {@code tokenizer.json};
 * {@link io.parallelix.node.gpu.text.TokenizerConfig#read} reads {@code tokenizer_config.json}.
 * See docs/engine.md, "Text: tokenizers", for what is forced and why.
 */
@NullMarked
package io.parallelix.node.gpu.text;

import org.jspecify.annotations.NullMarked;
