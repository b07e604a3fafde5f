package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.fail;

import io.parallelix.node.testing.Subprocess;
import java.nio.file.Path;

/**
 * The independent reference tools these tests run, checked up front: a missing one fails the test
 * with what to install. These checks are the evidence, so they must never skip silently.
 */
final class RequiredTools {
    private RequiredTools() {}

    /** Fails with what to install unless openssl 3 runs. */
    static void openssl(Path dir) {
        Subprocess.Result r = Subprocess.of(dir, "openssl", "version").run();
        if (r.exit() != 0 || !r.stdout().startsWith("OpenSSL 3")) {
            fail(
                    "openssl 3 is required by this test (found: %s %s); CI installs it in .ci/run",
                    r.stdout(), r.stderr());
        }
    }

    /** Fails with what to install unless python3 with pyca/cryptography and numpy runs. */
    static void python(Path dir) {
        Subprocess.Result r = Subprocess.of(
                        dir, "python3", "-c", "import cryptography, numpy; print(cryptography.__version__)")
                .run();
        if (r.exit() != 0) {
            fail(
                    "python3 with pyca/cryptography and numpy is required by this test (%s); install them"
                            + " (Debian: apt-get install python3-cryptography python3-numpy; CI does in .ci/run)",
                    r.stderr().strip());
        }
    }
}
