package io.parallelix.node.daemon.cli;

import io.parallelix.node.gpu.OrtRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: the node, the JVM and ONNX Runtime with the providers it was built with. */
final class VersionProvider implements CommandLine.IVersionProvider {
    static String version() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/pxnode-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "pxnode " + version(),
            "java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
            OrtRuntime.describe(),
        };
    }
}
