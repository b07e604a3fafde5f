package io.parallelix.node.daemon.protocol;

/**
 * Microseconds spent per stage of one request: waiting in the node's queue, decoding the body,
 * waiting for a session instance (instance_wait), building tensors, the ONNX Runtime run, canonical encoding,
 * PoE + signature, and the total from acceptance to envelope.
 */
public record StageTimings(
        long queue, long decode, long instanceWait, long tensor, long run, long encode, long sign, long total) {}
