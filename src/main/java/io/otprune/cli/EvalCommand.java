package io.otprune.cli;

import ai.djl.ndarray.NDManager;
import io.otprune.data.Dataset;
import io.otprune.data.DatasetException;
import io.otprune.data.Datasets;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelStore;
import io.otprune.train.Devices;
import io.otprune.train.Evaluation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model folder on a data set's test split and compare with its model.json.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model folder.")
    Path model;

    @Option(names = "--data", description = "Data set (default: the one in model.json).")
    String data;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
    String device;

    @Mixin
    DataFlags dataFlags;

    @Mixin
    Main.CommonOptions common;

    @Override
    public Integer call() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Devices.resolve(device))) {
            ModelStore.Loaded m = ModelStore.load(model, manager);
            String dataId = data != null ? data : m.info().dataset();
            if (dataId == null || dataId.isBlank()) {
                throw new UsageException(model + " names no data set (an imported model): give --data");
            }
            io.otprune.model.Graph g = m.info().graph();
            Dataset ds = Datasets.load(dataId, dataFlags.options().withShape(
                    new io.otprune.data.ImageShape(g.inChannels(), g.height(), g.width())),
                    io.otprune.data.ReaderControl.NONE);
            ds.requireClasses(g.classes(), model.toString());
            System.out.println(io.otprune.run.TrainRun.describe(ds));
            for (String note : ds.notes()) {
                System.out.println("data: " + note);
            }
            long t0 = System.nanoTime();
            Evaluation ev = Evaluation.of(m.network(), manager, ds.testImages(), m.info().normalization());
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s on %s: accuracy %.2f%% (%d test samples), loss %.4f, %.1f s%n",
                    model, dataId, 100 * ev.accuracy(), ev.samples(), ev.loss(), secs);
            if (dataId.equals(m.info().dataset())) {
                System.out.printf("model.json says %.2f%% (difference %+.2f points)%n", 100 * m.info().testAccuracy(),
                        100 * (ev.accuracy() - m.info().testAccuracy()));
            }
            return 0;
        } catch (ModelFormatException | DatasetException | IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
