package io.otprune.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelStore;
import io.otprune.model.OnnxExport;
import io.otprune.model.OnnxRuntimeCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ModelStore.Loaded m;
            try {
                m = ModelStore.load(model, manager);
            } catch (ModelFormatException e) {
                throw new UsageException(e.getMessage());
            }
            List<OnnxRuntimeCheck.Batch> batches = new ArrayList<>();
            batches.add(OnnxRuntimeCheck.random(m.info().graph(), 4, 1));
            OnnxRuntimeCheck.testImages(m.info(), 16).ifPresent(batches::add);
            OnnxRuntimeCheck.Result check = OnnxExport.export(m.network(), m.info().name(), onnx, manager, batches,
                    force);
            System.out.printf("exported %s -> %s (opset %d, %,d bytes)%n", m.info().name(), onnx, OnnxExport.OPSET,
                    Files.size(onnx));
            System.out.println(check.line());
            return 0;
        }
    }
}
