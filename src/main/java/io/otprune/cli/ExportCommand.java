package io.otprune.cli;

import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelStore;
import io.otprune.model.OnnxExport;
import io.otprune.model.OnnxRuntimeCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a model folder as an ONNX file (opset 13). The file is run in ONNX Runtime on random "
                + "inputs (and test images where the model's data set loads) against the model's own forward pass; "
                + "it is kept only within 1e-4 of the logits' scale.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model folder.")
    Path model;

    @Option(names = "--onnx", required = true, description = "The .onnx file to write.")
    Path onnx;

    @Option(names = "--force", description = "Replace an existing file (only after the new one passed its check).")
    boolean force;

    @Mixin
    Main.CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(onnx)) {
            throw new UsageException(onnx + " is a folder (give the .onnx file to write)");
        }
        if (Files.exists(onnx) && !force) {
            throw new UsageException(onnx + " exists (--force replaces it)");
        }
        try {
            OnnxRuntimeCheck.Result check = OnnxExport.exportFolder(model, onnx, force);
            System.out.printf("exported %s -> %s (opset %d, %,d bytes)%n", ModelStore.readInfo(model).name(), onnx,
                    OnnxExport.OPSET,
                    Files.size(onnx));
            System.out.println(check.line());
            return 0;
        } catch (ModelFormatException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
