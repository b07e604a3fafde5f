/**
 * What crosses the wire, as immutable records: each kind of task's decoder turns body bytes into a
 * typed, validated {@link io.parallelix.node.daemon.protocol.Task} (OIP tensors:
 * {@link io.parallelix.node.daemon.protocol.InferRequestDecoder} → {@link
 * io.parallelix.node.daemon.protocol.DecodedRequest}; OpenAI embeddings: {@link
 * io.parallelix.node.daemon.protocol.EmbeddingsDecoder} → {@link
 * io.parallelix.node.daemon.protocol.EmbeddingsRequest}, its body written by {@link
 * io.parallelix.node.daemon.protocol.EmbeddingJson}; OpenAI completions and chat: {@link
 * io.parallelix.node.daemon.protocol.GenerationDecoder} → {@link
 * io.parallelix.node.daemon.protocol.CompletionsRequest}, answers and stream events written by {@link
 * io.parallelix.node.daemon.protocol.GenerationJson}); the answers' records (envelope, meta, node
 * document, metadata, challenge, errors) and the one JSON configuration ({@link
 * io.parallelix.node.daemon.protocol.Json}). Knows nothing of Netty or the service.
 */
@NullMarked
package io.parallelix.node.daemon.protocol;

import org.jspecify.annotations.NullMarked;
