package io.otprune.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.otprune.data.Batches;
import io.otprune.data.Dataset;
import io.otprune.data.DatasetException;
import io.otprune.data.Datasets;
import io.otprune.data.ImageSet;
import io.otprune.data.ImageShape;
import io.otprune.data.Normalization;
import io.otprune.model.Graph;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelInfo;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import io.otprune.prune.Accounting;
import io.otprune.prune.Baselines;
import io.otprune.prune.Compactor;
import io.otprune.prune.HardMasks;
import io.otprune.prune.Problem;
import io.otprune.prune.Problems;
import io.otprune.prune.PruneConfig;
import io.otprune.prune.PruneMethod;
import io.otprune.prune.PruneUnits;
import io.otprune.prune.Selection;
import io.otprune.prune.UnitSet;
import io.otprune.train.ConfusionMatrix;
import io.otprune.train.Devices;
import io.otprune.train.DivergenceException;
import io.otprune.train.Evaluation;
import io.otprune.train.Latency;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import io.otprune.train.TrainConfig;
import io.otprune.train.TrainingLoop;
import io.otprune.util.Files2;
import io.otprune.util.Versions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * A whole pruning run: load → prune (the method) → harden → fine-tune → compact → summarise. Every method and
 * granularity goes through the same steps; what differs lives in {@link PruneMethod} and {@link PruneUnits}. The CLI
 * and the GUI both call {@link #execute}; it runs on the calling thread (one thread for all DJL work).
 */
public final class PruneRun {
    private PruneRun() {}

    public static PruneSummary execute(PruneRunConfig cfg, Path out, boolean force, Consumer<RunEvent> listener,
            RunControl control) throws IOException, DatasetException, ModelFormatException, RunCancelledException,
            DivergenceException {
        long start = System.nanoTime();
        io.otprune.train.GradMode.offOnThisThread();
        // Read the model's description before creating anything, so bad input fails before the run folder exists.
        ModelInfo denseInfo = ModelStore.readInfo(Path.of(cfg.model()));
        Graph g = denseInfo.graph();
        Dataset data = Datasets.load(cfg.data(), cfg.dataOptions().withShape(new ImageShape(g.inChannels(),
                g.height(), g.width())), control);
        Device device = Devices.resolve(cfg.device());
        checkData(cfg.model(), g, data);
        validate(denseInfo.graph(), cfg.prune());
        try (RunDirectory dir = RunDirectory.create(out, force);
                NDManager manager = NDManager.newBaseManager(device)) {
            dir.writeRunJson(cfg, Versions.all());
            Consumer<RunEvent> events = dir.events(listener);
            try {
                return new Steps(cfg, data, dir, manager, events, control).run(device, start);
            } catch (DivergenceException e) {
                Path ckpt = out.resolve(Checkpoint.DIR);
                String where = java.nio.file.Files.isDirectory(ckpt)
                        ? "; the weights of the last good epoch are in " + ckpt
                        : "; no epoch finished, and the input model " + cfg.model() + " is unchanged";
                events.accept(new RunEvent.Failed(e.getMessage() + where));
                throw new DivergenceException(e.getMessage() + where);
            }
        }
    }

    /** The model's input and classes against the data's. */
    static void checkData(String model, Graph g, Dataset data) {
        if (g.height() != data.shape().height() || g.width() != data.shape().width()
                || g.classes() != data.numClasses()) {
            throw new IllegalArgumentException("model " + model + " expects " + g.height() + "x" + g.width()
                    + " images in " + g.classes() + " classes; data set " + data.id() + " has "
                    + data.shape().height() + "x" + data.shape().width() + " in " + data.numClasses());
        }
    }

    /** One run's state, and the context its method works in. */
    private static final class Steps implements PruneMethod.Context {
        private final PruneRunConfig cfg;
        private final PruneConfig pc;
        private final Dataset data;
        private final RunDirectory dir;
        private final NDManager manager;
        private final Consumer<RunEvent> events;
        private final RunControl control;
        private Network net;
        private ModelInfo info;
        private PruneUnits units;
        private List<Problem> problems;
        private TrainingLoop.StepHook checkpoint;
        private double dense;

        Steps(PruneRunConfig cfg, Dataset data, RunDirectory dir, NDManager manager, Consumer<RunEvent> events,
                RunControl control) {
            this.cfg = cfg;
            this.pc = cfg.prune();
            this.data = data;
            this.dir = dir;
            this.manager = manager;
            this.events = events;
            this.control = control;
        }

        PruneSummary run(Device device, long start) throws IOException, ModelFormatException,
                RunCancelledException, DivergenceException {
            // load
            Engine.getInstance().setRandomSeed((int) cfg.seed());
            ModelStore.Loaded loaded = ModelStore.load(Path.of(cfg.model()), manager);
            net = loaded.network();
            info = loaded.info();
            units = PruneUnits.of(net, pc.granularity());
            units.prepare(pc, manager, events);
            problems = Problems.build(units.sets(), pc.budget(), pc.scope(), pc.keptFraction());
            checkBudget(problems, pc);
            checkpoint = checkpointHook(dir, net, info);
            events.accept(new RunEvent.Phase("dense", "evaluating " + info.name() + " on " + data.id()));
            ConfusionMatrix denseConfusion = Evaluation.of(net, manager, data.test(), info.normalization())
                    .confusion();
            dense = denseConfusion.accuracy();
            events.accept(new RunEvent.Message("info", String.format("dense accuracy %.2f%%", 100 * dense)));

            // prune and harden
            PruneMethod method = PruneMethod.of(pc.method());
            PruneMethod.Outcome pruned = method.prune(this);
            HardMasks hard = pruned.hard();
            double after = testAccuracy(null);
            for (int j = 0; j < units.sets().size(); j++) {
                UnitSet set = units.sets().get(j);
                events.accept(new RunEvent.Mask(pruneSteps(), set.name(), set.shape().getShape(),
                        toFloats(hard.keep()[j]), true));
            }
            Accounting acc = units.account(hard.keep(), pc.budget());
            double before = pruned.accuracyBefore();
            events.accept(new RunEvent.Hardened(before, after, after - before, pruned.sharpness(), acc.achieved(),
                    pc.sparsity()));
            events.accept(new RunEvent.Message("info", String.format(
                    "hardened: accuracy %.2f%% -> %.2f%% (gap %+.2f points), sharpness %.4f, sparsity %.6f",
                    100 * before, 100 * after, 100 * (after - before), pruned.sharpness(), acc.achieved())));

            // fine-tune: methods that prune at once train with the fixed mask during the prune epochs too
            int fixedEpochs = cfg.finetuneEpochs() + (method.oneShot() ? cfg.pruneEpochs() : 0);
            double finalAcc = after;
            if (fixedEpochs > 0) {
                events.accept(new RunEvent.Phase("finetune", fixedEpochs + " epochs with the hard mask fixed"));
                finalAcc = loop(fixedEpochs, "finetune", hard).test().accuracy();
            }
            hard.enforce();
            ConfusionMatrix prunedConfusion = Evaluation.of(net, manager, data.test(), info.normalization())
                    .confusion();

            // compact and save
            PruneMethod.Finished finished = method.finish(this, hard);
            PruneUnits.Compaction compaction = finished.compaction();
            ModelInfo.Builder pruned2 = info.toBuilder().dataset(data.id()).testAccuracy(finalAcc)
                    .testSamples(data.test().count()).denseTestAccuracy(dense).trainingCommand(cfg.command())
                    .seed(cfg.seed()).versions(Versions.all()).createdAt(Instant.now().toString());
            Double maxDiff = null;
            PruneSummary.Speed speedBefore = null, speedAfter = null;
            PruneSummary.Structure structure = null;
            if (compaction != null) {
                Network small = compaction.network();
                Compactor.Difference d = Compactor.difference(net, small, manager, data.test(), info.normalization());
                maxDiff = d.maxAbsDiff();
                events.accept(new RunEvent.Message("info", String.format(
                        "compact model: %s, max |logit difference| vs the masked model %.2e (logits up to %.3g)",
                        compaction.change(), maxDiff, d.maxAbsLogit())));
                if (!d.equal()) {
                    throw new IllegalStateException("the compact model differs from the masked model by " + maxDiff
                            + " (> 1e-4 of the logits' scale); not saving it");
                }
                if (!compaction.removed().isEmpty() || small.layers().size() != net.layers().size()) {
                    structure = new PruneSummary.Structure(net.layers().size(), small.layers().size(), net.depth(),
                            small.depth(), compaction.removed());
                }
                ModelStore.save(dir.modelDir(), small, pruned2.network(small.graph())
                        .sparsity(Compactor.zeroFraction(small)).build(), false);
                try (NDManager denseManager = manager.newSubManager()) {
                    Network original = ModelStore.load(Path.of(cfg.model()), denseManager).network();
                    Network[] both = {original, small};
                    double[] b1 = Latency.pairedMedianMs(both, manager, 1, 31, 5);
                    double[] b256 = Latency.pairedMedianMs(both, manager, 256, 31, 3);
                    speedBefore = new PruneSummary.Speed(b1[0], b256[0], Files2.sizeOf(Path.of(cfg.model())));
                    speedAfter = new PruneSummary.Speed(b1[1], b256[1], Files2.sizeOf(dir.modelDir()));
                }
                events.accept(new RunEvent.Message("info", String.format(
                        "latency batch 1: %.3f -> %.3f ms, batch 256: %.1f -> %.1f ms; files %,d -> %,d bytes",
                        speedBefore.batch1Ms(), speedAfter.batch1Ms(), speedBefore.batch256Ms(),
                        speedAfter.batch256Ms(), speedBefore.fileBytes(), speedAfter.fileBytes())));
            } else {
                net.clearMasks();
                ModelStore.save(dir.modelDir(), net, pruned2.network(net.graph()).sparsity(acc.unitSparsity())
                        .build(), false);
            }

            // summarise
            Checkpoint.remove(dir);
            PruneSummary s = new PruneSummary(PruneConfig.word(pc.method()), PruneConfig.word(pc.granularity()),
                    PruneConfig.word(pc.budget()), PruneConfig.word(pc.scope()), pc.sparsity(), acc.achieved(),
                    acc.unitSparsity(), acc.paramSparsity(), acc.flopSparsity(), dense, before, after, finalAcc,
                    after - before, pruned.sharpness(), pruned.epsilonAtHardening(), acc.layers(), acc.paramsBefore(),
                    acc.paramsAfter(), acc.flopsBefore(), acc.flopsAfter(), acc.units(), acc.kept(),
                    (System.nanoTime() - start) / 1e9, device.toString(), dir.modelDir().toString(), maxDiff,
                    speedBefore, speedAfter, pc.granularity() == PruneConfig.Granularity.UNSTRUCTURED
                            ? "unstructured sparsity: the weights are zeros in dense tensors, so dense kernels run no "
                                    + "faster and the file is no smaller; use structured pruning for speed and size"
                            : "", structure, finished.entropy(),
                    new PruneSummary.Confusion(data.classNames(), denseConfusion, prunedConfusion));
            dir.writeSummary(s);
            events.accept(new RunEvent.Phase("done", String.format("final accuracy %.2f%% (dense %.2f%%)",
                    100 * finalAcc, 100 * dense)));
            return s;
        }

        private TrainingLoop.Result loop(int epochs, String phase, TrainingLoop.StepHook hook)
                throws RunCancelledException, DivergenceException {
            TrainConfig tc = new TrainConfig("sgd", cfg.learningRate(), 0.9, 5e-4, epochs, cfg.batchSize(),
                    cfg.seed(), 20);
            return new TrainingLoop(net, manager, data.trainImages(), data.testImages(), info.normalization(), tc,
                    events, control, phase).withHook(TrainingLoop.StepHook.both(hook, checkpoint))
                    .withAugmentation(cfg.dataOptions().augmentation(cfg.seed())).run();
        }

        @Override public Network net() { return net; }
        @Override public NDManager manager() { return manager; }
        @Override public PruneUnits units() { return units; }
        @Override public List<Problem> problems() { return problems; }
        @Override public PruneConfig config() { return pc; }
        @Override public int pruneEpochs() { return cfg.pruneEpochs(); }
        @Override public long seed() { return cfg.seed(); }
        @Override public Consumer<RunEvent> events() { return events; }
        @Override public RunControl control() { return control; }
        @Override public ImageSet trainSet() { return data.train(); }
        @Override public ImageSet testSet() { return data.test(); }
        @Override public Normalization normalization() { return info.normalization(); }
        @Override public double denseAccuracy() { return dense; }

        @Override
        public int pruneSteps() {
            return new Batches(data.train(), info.normalization(), cfg.batchSize()).count() * cfg.pruneEpochs();
        }

        @Override
        public TrainingLoop.Result train(int epochs, TrainingLoop.StepHook hook) throws RunCancelledException,
                DivergenceException {
            return loop(epochs, "prune", hook);
        }

        @Override
        public double testAccuracy(TrainingLoop.StepHook hook) {
            return hook == null ? Evaluation.of(net, manager, data.test(), info.normalization()).accuracy()
                    : TrainingLoop.evaluate(net, manager, data.test(), info.normalization(), hook).accuracy();
        }
    }

    private static float[] toFloats(boolean[] keep) {
        float[] v = new float[keep.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = keep[i] ? 1f : 0f;
        }
        return v;
    }

    /** After every finished epoch (its loss was finite), the weights are saved as the last good checkpoint. */
    private static TrainingLoop.StepHook checkpointHook(RunDirectory dir, Network net, ModelInfo info) {
        return new TrainingLoop.StepHook() {
            @Override
            public void afterEpoch(int epoch) {
                try {
                    ModelStore.save(dir.dir().resolve(Checkpoint.DIR), net, info, true);
                } catch (IOException e) {
                    dir.append(new RunEvent.Message("warning", "could not save checkpoint: " + e.getMessage()));
                }
            }
        };
    }

    /** Checks granularity and budget on the model's graph before anything is written. */
    static void validate(Graph graph, PruneConfig pc) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network net = new Network(graph);
            net.initialize(m);
            PruneUnits units = PruneUnits.of(net, pc.granularity());
            // latency costs are measured in the run; the dry check counts blocks instead
            PruneConfig.Budget budget = pc.budget() == PruneConfig.Budget.LATENCY ? PruneConfig.Budget.COUNT
                    : pc.budget();
            List<Problem> problems = Problems.build(units.sets(), budget, pc.scope(), pc.keptFraction());
            checkBudget(problems, pc);
            // a dry selection finds budgets the channel floor makes impossible
            units.select(problems, Baselines.magnitudes(units.sets()), pc.toBuilder().budget(budget).build(),
                    pc.keptFraction());
        }
    }

    private static void checkBudget(List<Problem> problems, PruneConfig pc) {
        for (Problem p : problems) {
            // the cheapest unit must fit in the kept budget, or nothing at all would be kept
            if (pc.keptFraction() * p.totalCost() < p.minUnitCost()) {
                throw new Selection.BudgetException(String.format(
                        "sparsity %s cannot be met: it keeps %.4g of %s's %.4g %s, less than its cheapest unit; "
                                + "lower the sparsity or use another scope", pc.sparsity(),
                        pc.keptFraction() * p.totalCost(), p.name(), p.totalCost(), PruneConfig.word(pc.budget())));
            }
        }
    }

    /** Location of the last good checkpoint inside a run folder; removed once the run ends well. */
    static final class Checkpoint {
        static final String DIR = "checkpoint";

        static void remove(RunDirectory dir) throws IOException {
            Files2.deleteRecursively(dir.dir().resolve(DIR));
        }
    }
}
