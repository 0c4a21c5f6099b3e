package io.otprune.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.otprune.model.Graph;
import io.otprune.model.ModelFormatException;
import io.otprune.model.OnnxImport;
import io.otprune.util.Files2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import an ONNX classifier (opsets 11-17, N×C×H×W float input) into a new model folder; "
                + "the import is checked against ONNX Runtime running the file. Unsupported ops are refused in one "
                + "line and nothing is written.")
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.onnx", description = "The ONNX file.")
    Path file;

    @Option(names = "--out", required = true, description = "Model folder to write (must not exist or be empty).")
    Path out;

    @Option(names = "--name", description = "The model's name (default: the file's name).")
    String name;

    @Mixin
    Main.CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such file");
        }
        if (!Files2.isAbsentOrEmptyDir(out)) {
            throw new UsageException(out + " exists and is not empty (choose another folder)");
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            OnnxImport.Result r = OnnxImport.importTo(file, out, name, manager);
            Graph g = r.info().graph();
            System.out.printf("imported %s (%s, opset %d) -> %s%n", file.getFileName(),
                    r.imported().producer().isBlank() ? "unnamed producer" : r.imported().producer(),
                    r.imported().opset(), out);
            System.out.printf("%s: input %dx%dx%d, %d outputs, %d nodes, %,d parameters, %,d multiply-adds per "
                    + "sample%n", r.info().name(), g.inChannels(), g.height(), g.width(), g.classes(), g.nodes().size(),
                    g.params(), g.macs());
            System.out.println(r.check().line());
            System.out.printf("normalisation: mean %s, std %s assumed (an ONNX file does not record its "
                    + "preprocessing; edit model.json if the model expects other constants); no data set, test "
                    + "accuracy not measured (NaN) until it is trained or evaluated on one%n",
                    java.util.Arrays.toString(r.info().normalization().mean()),
                    java.util.Arrays.toString(r.info().normalization().std()));
            return 0;
        } catch (ModelFormatException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
