/**
 * The runners of each kind of task: a typed request in, canonical result bytes out, on the
 * engine. {@link io.parallelix.node.daemon.task.TensorRunner} runs Open Inference Protocol tensor
 * requests, {@link io.parallelix.node.daemon.task.EmbeddingRunner} OpenAI embeddings, {@link
 * io.parallelix.node.daemon.task.GenerationRunner} OpenAI completions and chat completions (whole
 * or streamed). A new kind adds its runner here (a {@code TaskRunner} of its request record), its
 * decoder in {@code protocol} and its wire form in {@code http}; the service stays as it is.
 */
@NullMarked
package io.parallelix.node.daemon.task;

import org.jspecify.annotations.NullMarked;
