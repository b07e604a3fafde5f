package io.parallelix.node.crypto;

/** What the node signs for one request; arrays are defensive copies. */
public record SignedResult(String requestId, NodeId nodeId, byte[] poe, byte[] sig, SigAlg sigAlg) {}
