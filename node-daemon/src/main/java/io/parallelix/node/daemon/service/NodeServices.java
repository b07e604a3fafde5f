package io.parallelix.node.daemon.service;

/** What the HTTP layer serves once the engine is ready: inference and the node's self-description. */
public record NodeServices(InferenceService inference, NodeStatus status) {}
