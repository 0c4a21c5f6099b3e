package io.otprune.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.otprune.data.Batches;
import io.otprune.data.Dataset;
import io.otprune.data.DatasetException;
import io.otprune.data.DataOptions;
import io.otprune.data.Datasets;
import io.otprune.data.ImageShape;
import io.otprune.data.Normalization;
import io.otprune.model.Architectures;
import io.otprune.model.Graph;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelInfo;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import io.otprune.train.DivergenceException;
import io.otprune.train.Devices;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import io.otprune.train.TrainConfig;
import io.otprune.train.TrainingLoop;
import io.otprune.util.Versions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/** Trains a zoo architecture (or continues a saved model) and writes the run folder; used by CLI and GUI alike. */
public final class TrainRun {
    private TrainRun() {}

    /** summary.json of a training run. */
    public record Summary(String model, String data, int epochs, double trainLoss, double trainAccuracy,
            double testLoss, double testAccuracy, int testSamples, long params, long flops, double seconds,
            double samplesPerSecond, String device, String modelDir) {}

    public static Summary execute(TrainRunConfig cfg, Path out, boolean force, Path exportModel,
            Consumer<RunEvent> listener, RunControl control)
            throws IOException, DatasetException, ModelFormatException, RunCancelledException, DivergenceException {
        io.otprune.train.GradMode.offOnThisThread();
        Inputs in = Inputs.check(cfg, exportModel, control);
        try (RunDirectory dir = RunDirectory.create(out, force);
                NDManager manager = NDManager.newBaseManager(in.device())) {
            dir.writeRunJson(cfg, Versions.all());
            Consumer<RunEvent> events = dir.events(listener);
            Engine.getInstance().setRandomSeed((int) cfg.seed());
            Start start = Start.of(cfg, in, manager, events);
            Network net = start.net();
            events.accept(io.otprune.train.EngineThreads.applyForRun(net.macs(), in.device()));
            Dataset data = in.data();
            events.accept(new RunEvent.Message("info", describe(data)));
            for (String note : data.notes()) {
                events.accept(new RunEvent.Message("info", "data: " + note));
            }
            events.accept(new RunEvent.Phase("train", String.format("%s on %s, %d epochs, %s, %,d params",
                    start.name(), data.id(), cfg.epochs(), in.device(), net.paramCount())));
            TrainConfig tc = trainConfig(cfg, new Batches(data.trainImages(), start.norm(), cfg.batchSize()).count(),
                    in.continued() == null);
            TrainingLoop.Result r;
            try {
                r = new TrainingLoop(net, manager, data.trainImages(), data.testImages(), start.norm(), tc, events,
                        control, "train").withAugmentation(in.options().augmentation(cfg.seed())).run();
            } catch (DivergenceException e) {
                events.accept(new RunEvent.Failed(e.getMessage()));
                throw e;
            } finally {
                io.otprune.train.EngineThreads.restore(); // the run's count was for its network only
            }
            Summary s = save(cfg, in, start, r, dir, exportModel);
            events.accept(new RunEvent.Phase("done", String.format("test accuracy %.2f%%", 100 * s.testAccuracy())));
            if (in.continued() != null) {
                events.accept(new RunEvent.Message("info", "continued from " + Path.of(cfg.model())));
            }
            return s;
        }
    }

    /**
     * What the run reads, checked before the run folder exists (model, data, classes, normalisation, the export
     * folder): nothing is written on refusal. {@code continued} is the model folder's info when the run continues
     * one, else null (a fresh zoo network).
     */
    private record Inputs(ModelInfo continued, DataOptions options, Dataset data, Normalization given, Device device) {
        static Inputs check(TrainRunConfig cfg, Path exportModel, RunControl control)
                throws IOException, DatasetException, ModelFormatException {
            Path modelPath = Path.of(cfg.model());
            ModelInfo continued = Files.isDirectory(modelPath) ? ModelStore.readInfo(modelPath) : null;
            DataOptions opt = cfg.dataOptions();
            if (continued != null) {
                Graph g = continued.graph();
                opt = opt.withShape(new ImageShape(g.inChannels(), g.height(), g.width()));
            }
            Dataset data = Datasets.load(cfg.data(), opt, control);
            if (continued != null) {
                data.requireClasses(continued.graph().classes(), cfg.model());
            }
            Normalization given = continued != null ? continued.normalization() : opt.normalization();
            if (given != null) {
                given.requireChannels(data.shape().channels());
            }
            Device device = Devices.resolve(cfg.device());
            if (exportModel != null && Files.exists(exportModel)
                    && !io.otprune.util.Files2.isAbsentOrEmptyDir(exportModel)) {
                throw new IOException(exportModel + " exists and is not empty (models are never overwritten in place)");
            }
            return new Inputs(continued, opt, data, given, device);
        }
    }

    /** The network the run starts from: the model folder's trained weights, or a fresh zoo network. */
    private record Start(Network net, Normalization norm, String name) {
        static Start of(TrainRunConfig cfg, Inputs in, NDManager manager, Consumer<RunEvent> events)
                throws IOException, ModelFormatException {
            if (in.continued() != null) {
                Path modelPath = Path.of(cfg.model());
                ModelStore.Loaded loaded = ModelStore.load(modelPath, manager);
                // said first: "lenet5" names both a zoo architecture and, here, a folder, and the folder wins
                events.accept(new RunEvent.Message("info", "continuing the trained weights of the model folder "
                        + modelPath.toAbsolutePath() + " (a folder, not a fresh zoo network)"));
                return new Start(loaded.network(), loaded.info().normalization(), loaded.info().name());
            }
            Dataset data = in.data();
            String name = Architectures.canonical(cfg.model());
            Network net = new Network(Architectures.graph(name, data.shape().channels(), data.shape().height(),
                    data.shape().width(), data.numClasses()));
            net.initialize(manager);
            return new Start(net, in.given() != null ? in.given() : Normalization.of(data.trainImages()), name);
        }
    }

    /** Saves the trained model (in the run folder, and to {@code exportModel} when given) and the run's summary. */
    private static Summary save(TrainRunConfig cfg, Inputs in, Start start, TrainingLoop.Result r, RunDirectory dir,
            Path exportModel) throws IOException {
        Dataset data = in.data();
        Network net = start.net();
        double testAcc = r.test() == null ? Double.NaN : r.test().accuracy();
        ModelInfo info = ModelInfo.builder().name(start.name()).network(net.graph()).classNames(data.classNames())
                .dataset(data.id()).normalization(start.norm()).testAccuracy(testAcc)
                .testSamples(data.testImages().count()).denseTestAccuracy(testAcc).trainingCommand(cfg.command())
                .seed(cfg.seed()).versions(Versions.all()).createdAt(Instant.now().toString()).build();
        ModelStore.save(dir.modelDir(), net, info, false);
        if (exportModel != null) {
            ModelStore.save(exportModel, net, info, false);
        }
        Summary s = new Summary(start.name(), data.id(), r.epochs(), r.trainLoss(), r.trainAccuracy(),
                r.test() == null ? Double.NaN : r.test().loss(), testAcc, data.testImages().count(),
                net.paramCount(), net.macs(), r.seconds(), r.samplesPerSecond(), in.device().toString(),
                dir.modelDir().toString());
        dir.writeSummary(s);
        return s;
    }

    /** The loop's settings: the run's, with a warm-up when the weights are fresh ({@link TrainConfig#freshWarmup}). */
    static TrainConfig trainConfig(TrainRunConfig cfg, int stepsPerEpoch, boolean fresh) {
        TrainConfig tc = TrainConfig.builder().optimizer(cfg.optimizer()).learningRate(cfg.learningRate())
                .momentum(cfg.momentum()).weightDecay(cfg.weightDecay()).epochs(cfg.epochs())
                .batchSize(cfg.batchSize()).seed(cfg.seed()).build();
        return fresh ? tc.withWarmup(TrainConfig.freshWarmup(stepsPerEpoch, cfg.epochs())) : tc;
    }

    /** One line on what was read: the detected kind, sizes, shape, and whether it is streamed. */
    public static String describe(Dataset d) {
        return String.format("data: %s (%s), %d classes, %,d train / %,d test images of %s, %s", d.id(),
                d.kind().id(), d.numClasses(), d.trainImages().count(), d.testImages().count(), d.shape(),
                d.inMemory() ? "in memory" : "streamed from disk");
    }
}
