package io.parallelix.node.daemon;

import io.parallelix.node.daemon.cli.PxNode;

/** The pxnode executable. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(PxNode.run(args, System.getenv()));
    }
}
