/**
 * The Netty 4.2 listener. Pipeline (one short initializer): connection limit → TLS → read
 * deadline → idle/write timeouts → HTTP codec → bounded aggregator → {@code FlowControl} (one request
 * at a time, pipelining order, drain) → {@code Router} (routes; lookups on the event loop, tasks to
 * the service) → {@code ConnectionErrors}. Entries: {@link io.parallelix.node.daemon.http.NodeServer},
 * and {@link io.parallelix.node.daemon.http.TaskEndpoint}, where a kind of task gets its wire form
 * ({@link io.parallelix.node.daemon.http.TensorEndpoint} for OIP tensors). Answers are whole or
 * streamed ({@code ResponseStream}: backpressure, write timeout, cancellation on disconnect).
 */
@NullMarked
package io.parallelix.node.daemon.http;

import org.jspecify.annotations.NullMarked;
