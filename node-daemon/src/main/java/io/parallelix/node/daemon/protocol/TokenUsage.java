package io.parallelix.node.daemon.protocol;

/** Tokens of a generation (OpenAI's usage): for the access log and metrics, never signed apart from the body. */
public record TokenUsage(int promptTokens, int completionTokens) {}
