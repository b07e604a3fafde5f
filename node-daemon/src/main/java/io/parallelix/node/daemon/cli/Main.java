package io.parallelix.node.daemon.cli;

/**
 * The pxnode executable: bin/pxnode runs this class. It lives beside the command it starts, so
 * that the daemon package never depends on cli (cli uses daemon.Node, not the other way round).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(PxNode.run(args, System.getenv()));
    }
}
