package io.otprune.cli;

import io.otprune.data.DatasetException;
import io.otprune.model.Architectures;
import io.otprune.run.RunDirectory;
import io.otprune.run.TrainRun;
import io.otprune.run.TrainRunConfig;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a zoo architecture (or continue a saved model) and write a run folder.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true,
            description = "Architecture id (mlp-300-100, lenet5, vgg-small, resnet20) or a model folder.")
    String model;

    @Option(names = "--data", defaultValue = "fashion-mnist-small",
            description = "Data set: fashion-mnist, fashion-mnist-small, mnist-small, or a folder of IDX files, CIFAR-10/100 .bin files or class folders of images (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd or adam (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.05", description = "Peak learning rate, cosine-decayed (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "5e-4", description = "Weight decay (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--out", required = true, description = "Run folder to write (run.json, metrics.jsonl, summary.json, model/).")
    Path out;

    @Option(names = "--export-model", description = "Also save the trained model folder here (must not exist).")
    Path exportModel;

    @Option(names = "--force", description = "Write into an existing non-empty run folder.")
    boolean force;

    @Mixin
    DataFlags dataFlags;

    @Mixin
    DataFlags.TrainingFlags trainingFlags;

    @Mixin
    Main.CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1) {
            throw new UsageException("--epochs must be at least 1, got " + epochs);
        }
        if (!Files.isDirectory(Path.of(model)) && !Architectures.ids().contains(Architectures.canonical(model))) {
            throw new UsageException("unknown model '" + model + "': use one of " + Architectures.ids()
                    + " or a model folder");
        }
        String command = "otprune train --model " + model + " --data " + data + " --epochs " + epochs
                + " --optimizer " + optimizer + " --lr " + lr + " --momentum " + momentum + " --weight-decay "
                + weightDecay + " --batch-size " + batchSize + " --seed " + seed + " --device " + device;
        io.otprune.data.DataOptions dataOptions = trainingFlags.apply(dataFlags.options());
        command += dataOptions.commandFlags() + trainingFlags.commandFlags();
        TrainRunConfig cfg = TrainRunConfig.builder().model(model).data(data).optimizer(optimizer)
                .learningRate(lr).momentum(momentum).weightDecay(weightDecay).epochs(epochs).batchSize(batchSize)
                .seed(seed).device(device).command(command).dataOptions(dataOptions).build();
        RunControl control = new RunControl();
        Runtime.getRuntime().addShutdownHook(new Thread(control::cancel));
        try {
            TrainRun.Summary s = TrainRun.execute(cfg, out, force, exportModel, Progress::print, control);
            System.out.printf("test accuracy %.2f%% (%d samples), %,d params, %,d MACs/sample, %.1f s%n",
                    100 * s.testAccuracy(), s.testSamples(), s.params(), s.flops(), s.seconds());
            System.out.println("run folder: " + out.toAbsolutePath());
            return 0;
        } catch (RunDirectory.OutputExistsException | IllegalArgumentException | DatasetException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
