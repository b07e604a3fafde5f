/**
 * The Netty 4.2 listener. Pipeline (one short initializer): connection limit → TLS → read
 * deadline → idle/write timeouts → HTTP codec → bounded aggregator → {@code FlowControl} (one request
 * at a time, pipelining order, drain) → {@code Router} (routes; lookups on the event loop, tasks to
 * the service) → {@code ConnectionErrors}. Entries: {@link io.parallelix.node.daemon.http.NodeServer},
 * and {@link io.parallelix.node.daemon.http.TaskEndpoint}, where a kind of task gets its wire form
 * ({@link io.parallelix.node.daemon.http.TensorEndpoint} for OIP tensors, {@link
 * io.parallelix.node.daemon.http.EmbeddingsEndpoint} for OpenAI's /v1/embeddings, {@link
 * io.parallelix.node.daemon.http.GenerationEndpoint} for /v1/completions and /v1/chat/completions).
 * Answers are whole or streamed ({@code ResponseStream}: backpressure, write timeout, cancellation
 * on disconnect); whole answers whose body is the result carry their PoE in headers ({@code
 * PoeHeaders}), streamed ones in a trailer after their events ({@code SignedStream}). Errors
 * are JSON in the node's shape, or OpenAI's under /v1/ ({@code ErrorShape}).
 */
@NullMarked
package io.parallelix.node.daemon.http;

import org.jspecify.annotations.NullMarked;
