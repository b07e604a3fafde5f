/**
 * The corridor below HTTP, the same for every kind of task: {@link
 * io.parallelix.node.daemon.service.TaskService} (implemented by {@link
 * io.parallelix.node.daemon.service.InferenceService}) admits per model with a bound, applies the
 * deadline, decodes on a worker, checks replay and pin, runs the kind's {@link
 * io.parallelix.node.daemon.service.TaskRunner}, and signs exactly the result bytes the client
 * gets ({@link io.parallelix.node.daemon.service.SignedAnswer}). Also the node's status and the
 * challenge signer. No HTTP types.
 */
@NullMarked
package io.parallelix.node.daemon.service;

import org.jspecify.annotations.NullMarked;
