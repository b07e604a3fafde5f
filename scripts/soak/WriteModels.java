// Writes the test models the soak serves (node-gpu's generated "add"; see TestModels) into a model
// repository. Run with node-gpu's test jar and the distribution's lib/ on the class path:
//   java -cp "node-gpu/target/node-gpu-*-tests.jar:node-daemon/target/pxnode/lib/*" scripts/soak/WriteModels.java DIR
import io.parallelix.node.gpu.testing.TestModels;
import java.nio.file.Path;

class WriteModels {
    public static void main(String[] args) {
        Path models = Path.of(args[0]);
        System.out.println(TestModels.writeAdd(models));
    }
}
