package io.otprune.cli;

import io.otprune.data.DatasetException;
import io.otprune.model.Graph;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelStore;
import io.otprune.prune.PruneConfig;
import io.otprune.run.PruneRun;
import io.otprune.run.PruneRunConfig;
import io.otprune.run.PruneSummary;
import io.otprune.run.SensitivityScan;
import io.otprune.run.RunDirectory;
import io.otprune.train.RunControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Prune a model folder (Differentiable Transportation Pruning or a baseline) and write a run folder.")
final class PruneCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model folder to prune (it is never modified).")
    Path model;

    @Option(names = "--data", defaultValue = "fashion-mnist-small", description = "Data set (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--method", defaultValue = "dtp", description = "dtp, gmp, magnitude, random, egp (unstructured, activation-entropy guided, iterated over the "
                    + "prune epochs) cpot (structured, Wasserstein-barycenter channel criterion) or cpot-merge (cpot, each pruned channel merged into "
                    + "its nearest kept one through the transport plan) (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--granularity", defaultValue = "unstructured",
            description = "unstructured (weights), structured (channels) or depth (residual blocks) (default ${DEFAULT-VALUE}).")
    String granularity;

    @Option(names = "--budget", defaultValue = "count",
            description = "count, params, flops, or latency (depth only: each block's latency measured here at "
                    + "--latency-batch): what --sparsity measures (default ${DEFAULT-VALUE}).")
    String budget;

    @Option(names = "--scope", defaultValue = "global",
            description = "global (per-layer sparsity is learned) or layer (same ratio per layer) (default ${DEFAULT-VALUE}).")
    String scope;

    @Option(names = "--sparsity", required = true, description = "Fraction of the budget to remove, in (0, 1).")
    String sparsity;

    @Option(names = "--prune-epochs", defaultValue = "2", description = "Prune-phase epochs (default ${DEFAULT-VALUE}).")
    int pruneEpochs;

    @Option(names = "--finetune-epochs", defaultValue = "1", description = "Fine-tune epochs (default ${DEFAULT-VALUE}).")
    int finetuneEpochs;

    @Option(names = "--temperature", defaultValue = "auto", description = "auto or schedule (default ${DEFAULT-VALUE}).")
    String temperature;

    @Option(names = "--eps0", defaultValue = "0", description = "Initial temperature (0: the default, 0.5).")
    double eps0;

    @Option(names = "--sinkhorn-iterations", defaultValue = "1",
            description = "Transport iterations per step: 1 (default), or 0 for a converged solve every step.")
    int sinkhornIterations;

    @Option(names = "--score-lr", defaultValue = "0.05", description = "Adam learning rate of the scores (default ${DEFAULT-VALUE}).")
    double scoreLr;

    @Option(names = "--score-step", description = "DTP: how Adam sizes each score's step: unit "
            + "(its own second moment, as usual) or set (one shared by a layer's or group's scores, so the sizes of the "
            + "gradients rank the units) (default: " + PruneConfig.SCORE_STEP_DEFAULT_TEXT + ").")
    String scoreStep;

    @Option(names = "--tau-gradient", description = "DTP: fixed (the "
            + "budget's threshold τ is a constant for the scores' gradient) or implicit (the gradient also moves τ as "
            + "the budget requires, so a pull all units share cancels) (default: " + PruneConfig.TAU_GRADIENT_DEFAULT_TEXT
            + ").")
    String tauGradient;

    @Option(names = "--min-channels", defaultValue = "1",
            description = "Structured: channels every layer keeps at least (default ${DEFAULT-VALUE}).")
    int minChannels;

    @Option(names = "--channel-multiple", defaultValue = "1",
            description = "Structured: keep each channel group's count at a multiple of this (or the whole group); 8 "
                    + "or 16 let ONNX Runtime and other CPU runtimes use their blocked kernels (default ${DEFAULT-VALUE}).")
    int channelMultiple;

    @Option(names = "--floors", description = "Per-layer floors of the kept fraction: the JSON 'otprune sensitivity' "
            + "writes, or layer=fraction,… (every method keeps at least that share of each named layer or group).")
    String floors;

    @Option(names = "--floors-fit", description = "With --floors SCAN.json: raise the scan's tolerated drop to the "
            + "smallest whose floors this run's sparsity can meet, and print it.")
    boolean floorsFit;

    /** What --floors-fit chose, printed before the run starts. */
    private String fitNote;

    @Option(names = "--latency-batch", defaultValue = "1",
            description = "Depth with --budget latency: batch size the block latencies are measured at (default ${DEFAULT-VALUE}).")
    int latencyBatch;

    @Option(names = "--lr", defaultValue = "0.01", description = "SGD learning rate of the weights (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--out", required = true, description = "Run folder to write.")
    Path out;

    @Option(names = "--force", description = "Write into an existing non-empty run folder.")
    boolean force;

    @Mixin
    DataFlags dataFlags;

    @Option(names = "--augment", description = "Augment training batches: random crop with padding and horizontal flip, seeded by --seed.")
    boolean augment;

    @Option(names = "--augment-padding", defaultValue = "4", description = "Padding of the random crop in pixels (default ${DEFAULT-VALUE}).")
    int augmentPadding;

    @Mixin
    Main.CommonOptions common;

    /** Parses and validates the options into a run config; bad input is a UsageException. */
    PruneRunConfig config() {
        double s;
        try {
            s = Double.parseDouble(sparsity);
        } catch (NumberFormatException e) {
            throw new UsageException("--sparsity must be a number in (0, 1), got '" + sparsity + "'");
        }
        if (!(scoreLr > 0)) {
            throw new UsageException("--score-lr must be positive");
        }
        try {
            PruneConfig pc = PruneConfig.builder().method(method).granularity(granularity).budget(budget).scope(scope)
                    .sparsity(s).temperature(temperature).eps0(eps0).sinkhornIterations(sinkhornIterations)
                    .scoreLearningRate(scoreLr).scoreStep(scoreStep).tauGradient(tauGradient).minChannels(minChannels).latencyBatch(latencyBatch)
                    .channelMultiple(channelMultiple).minKept(floors == null ? java.util.Map.of() : SensitivityScan.readFloors(floors)).build();
            if (floorsFit) {
                pc = fitFloors(pc);
            }
            io.otprune.data.DataOptions dataOptions = dataFlags.options().toBuilder().augment(augment)
                    .augmentPadding(augmentPadding).build();
            return PruneRunConfig.builder().model(model.toString()).data(data).prune(pc).pruneEpochs(pruneEpochs)
                    .finetuneEpochs(finetuneEpochs).learningRate(lr).batchSize(batchSize).seed(seed).device(device)
                    .dataOptions(dataOptions).build();
        } catch (java.io.IOException e) {
            throw new UsageException("--floors: cannot read " + floors + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage().startsWith("sparsity") ? "--" + e.getMessage() : e.getMessage());
        }
    }

    /** The scan's floors at the smallest tolerance that fits {@code pc}'s budget (--floors-fit). */
    private PruneConfig fitFloors(PruneConfig pc) throws IOException {
        if (floors == null || !Files.isRegularFile(Path.of(floors))) {
            throw new UsageException("--floors-fit needs --floors SCAN.json, the file otprune sensitivity --out writes");
        }
        SensitivityScan.ScanFile file = SensitivityScan.readScan(Path.of(floors));
        Graph graph;
        try {
            graph = ModelStore.readInfo(model).graph();
        } catch (ModelFormatException e) {
            throw new UsageException(e.getMessage());
        }
        SensitivityScan.Fit fit = file.scan().fitFloors(graph, pc, file.tolerancePoints());
        fitNote = String.format(java.util.Locale.ROOT, "floors from %s at a tolerated drop of %.2f points (the "
                + "smallest whose floors sparsity %s can meet): %s", floors, fit.tolerancePoints(), pc.sparsity(),
                PruneConfig.floorsWord(fit.floors()));
        return pc.toBuilder().minKept(fit.floors()).build();
    }

    @Override
    public Integer call() throws Exception {
        PruneRunConfig cfg = config();
        if (fitNote != null) {
            System.out.println(fitNote);
        }
        RunControl control = new RunControl();
        Runtime.getRuntime().addShutdownHook(new Thread(control::cancel));
        try {
            PruneSummary s = PruneRun.execute(cfg, out, force, Progress::print, control);
            System.out.println(Progress.summary(s));
            System.out.println("run folder: " + out.toAbsolutePath());
            return 0;
        } catch (RunDirectory.OutputExistsException | ModelFormatException | DatasetException
                | UnsupportedOperationException | IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
