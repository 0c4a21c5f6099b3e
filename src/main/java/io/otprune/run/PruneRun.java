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
import io.otprune.train.TrainState;
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
        try (RunDirectory dir = RunDirectory.create(out, force)) {
            dir.writeRunJson(cfg, Versions.all());
            return run(cfg, data, dir, device, null, listener, control, start);
        }
    }

    /**
     * Continues an interrupted run in {@code runDir} from its newest checkpoint (the end of its last finished
     * epoch, in any phase) with the config in its run.json, and ends with the files an uninterrupted run writes; a
     * run that stopped before its first epoch ended starts again from the beginning. A finished run (summary.json
     * present) is refused.
     */
    public static PruneSummary resume(Path runDir, Consumer<RunEvent> listener, RunControl control)
            throws IOException, DatasetException, ModelFormatException, RunCancelledException, DivergenceException {
        long start = System.nanoTime();
        io.otprune.train.GradMode.offOnThisThread();
        RunHistory.State state = RunHistory.state(runDir);
        switch (state.kind()) {
            case FINISHED -> throw new IllegalArgumentException(runDir + " is a finished run (its summary.json is "
                    + "written); nothing to resume");
            case NOT_A_RUN -> throw new IllegalArgumentException(runDir + " is not a run folder: " + state.detail());
            default -> { }
        }
        PruneRunConfig cfg = RunHistory.config(runDir);
        Path ckpt = Checkpoint.settle(runDir);
        TrainState st = null;
        if (ckpt != null) {
            try {
                st = TrainState.read(ckpt);
            } catch (IOException e) {
                st = null; // written atomically, so this is a foreign or damaged folder: start again
            }
        }
        if (st == null) {
            listener.accept(new RunEvent.Message("info", "no checkpoint in " + runDir
                    + ": starting the run again from the beginning"));
            return execute(cfg, runDir, true, listener, control);
        }
        ModelInfo denseInfo = ModelStore.readInfo(Path.of(cfg.model()));
        Graph g = denseInfo.graph();
        Dataset data = Datasets.load(cfg.data(), cfg.dataOptions().withShape(new ImageShape(g.inChannels(),
                g.height(), g.width())), control);
        Device device = Devices.resolve(cfg.device());
        checkData(cfg.model(), g, data);
        try (RunDirectory dir = RunDirectory.reopen(runDir, st.getLong("run.metricsBytes"))) {
            return run(cfg, data, dir, device, st, listener, control, start);
        }
    }

    private static PruneSummary run(PruneRunConfig cfg, Dataset data, RunDirectory dir, Device device,
            TrainState resume, Consumer<RunEvent> listener, RunControl control, long start) throws IOException,
            ModelFormatException, RunCancelledException, DivergenceException {
        Path out = dir.dir();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Consumer<RunEvent> events = dir.events(listener);
            try {
                return new Steps(cfg, data, dir, manager, events, control, resume).run(device, start);
            } catch (DivergenceException e) {
                Path ckpt = out.resolve(Checkpoint.DIR);
                String where = java.nio.file.Files.isDirectory(ckpt)
                        ? "; the weights of the last good epoch are in " + ckpt
                        : "; no epoch finished, and the input model " + cfg.model() + " is unchanged";
                events.accept(new RunEvent.Failed(e.getMessage() + where));
                throw new DivergenceException(e.getMessage() + where);
            } finally {
                io.otprune.train.EngineThreads.restore(); // the run's count was for its network only
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
        private double dense;
        /** The checkpoint a resumed run continues from (null: a fresh run, or once the resumed loop is running). */
        private TrainState resume;
        /** Events of the steps a resumed run repeats before the checkpoint are already in metrics.jsonl. */
        private boolean muted;
        private int pruneEpochsDone;
        private String inputSha256;
        private PruneMethod.Outcome outcome;
        private double accuracyAfter;
        private int fixedEpochs;

        Steps(PruneRunConfig cfg, Dataset data, RunDirectory dir, NDManager manager, Consumer<RunEvent> events,
                RunControl control, TrainState resume) {
            this.cfg = cfg;
            this.pc = cfg.prune();
            this.data = data;
            this.dir = dir;
            this.manager = manager;
            this.events = e -> {
                if (!muted) {
                    events.accept(e);
                }
            };
            this.control = control;
            this.resume = resume;
            if (resume != null) {
                events.accept(new RunEvent.Message("info", "resumed from the checkpoint after "
                        + Checkpoint.describe(resume, cfg)));
                muted = true;
            }
        }

        private boolean resumingIn(String phase) {
            return resume != null && resume.getString("phase").equals(phase);
        }

        PruneSummary run(Device device, long start) throws IOException, ModelFormatException,
                RunCancelledException, DivergenceException {
            ConfusionMatrix denseConfusion = load();
            PruneMethod method = PruneMethod.of(pc.method());
            Accounting acc = pruneAndHarden(method);
            HardMasks hard = outcome.hard();

            // fine-tune: methods that prune at once train with the fixed mask during the prune epochs too
            double finalAcc = accuracyAfter;
            if (fixedEpochs > 0) {
                events.accept(new RunEvent.Phase("finetune", fixedEpochs + " epochs with the hard mask fixed"));
                finalAcc = loop(fixedEpochs, "finetune", hard).test().accuracy();
            }
            hard.enforce();
            ConfusionMatrix prunedConfusion = Evaluation.of(net, manager, data.test(), info.normalization())
                    .confusion();
            PruneMethod.Finished finished = method.finish(this, hard);
            double before = outcome.accuracyBefore();
            PruneSummary.Builder summary = PruneSummary.builder().config(pc).accounting(acc).denseAccuracy(dense)
                    .accuracyBeforeHardening(before).accuracyAfterHardening(accuracyAfter).finalAccuracy(finalAcc)
                    .hardeningGap(accuracyAfter - before).maskSharpnessAtHardening(outcome.sharpness())
                    .epsilonAtHardening(outcome.epsilonAtHardening()).device(device.toString())
                    .modelDir(dir.modelDir().toString())
                    .note(pc.granularity() == PruneConfig.Granularity.UNSTRUCTURED
                            ? "unstructured sparsity: the weights are zeros in dense tensors, so dense kernels run no "
                                    + "faster and the file is no smaller; use structured pruning for speed and size"
                            : "")
                    .entropy(finished.entropy())
                    .confusion(new PruneSummary.Confusion(data.classNames(), denseConfusion, prunedConfusion));
            save(finished.compaction(), acc, finalAcc, summary);

            // summarise: summary.json last (atomically), then the checkpoint goes; a run folder with summary.json is
            // a finished run, one without it an interrupted one
            PruneSummary s = summary.seconds((System.nanoTime() - start) / 1e9).build();
            RunMasks.of(cfg.model(), inputSha256, pc.granularity(), units.sets(), hard.keep()).write(dir.dir());
            dir.writeSummary(s);
            Checkpoint.removeAll(dir.dir());
            events.accept(new RunEvent.Phase("done", String.format("final accuracy %.2f%% (dense %.2f%%)",
                    100 * finalAcc, 100 * dense)));
            return s;
        }

        /**
         * Loads the network (a resumed run: the checkpoint's weights; the input model's description), its units and
         * transport problems, and evaluates the dense model: its confusion matrix on the test set.
         */
        private ConfusionMatrix load() throws IOException, ModelFormatException {
            Engine.getInstance().setRandomSeed((int) cfg.seed());
            Path input = Path.of(cfg.model());
            ModelInfo inputInfo = ModelStore.readInfo(input);
            inputSha256 = Files2.sha256(input.resolve(inputInfo.paramsFile() == null ? ModelInfo.PARAMS_FILE
                    : inputInfo.paramsFile()));
            if (resume != null && !inputSha256.equals(resume.getString("run.inputSha256"))) {
                throw new IllegalArgumentException("the input model " + input + " changed since the run started "
                        + "(its weights' SHA-256 differs): cannot resume; start a new run");
            }
            ModelStore.Loaded loaded = ModelStore.load(resume == null ? input : dir.dir().resolve(Checkpoint.DIR),
                    manager);
            net = loaded.network();
            info = resume == null ? loaded.info() : inputInfo;
            events.accept(io.otprune.train.EngineThreads.applyForRun(net.macs(), manager.getDevice()));
            units = PruneUnits.of(net, pc.granularity());
            if (resume != null && resume.has("run.prepared")) {
                units.restorePrepared(resume.getDoubles("run.prepared"));
            } else {
                units.prepare(pc, manager, events);
            }
            problems = Problems.build(units.sets(), pc.budget(), pc.scope(), pc.keptFraction());
            checkBudget(problems, pc);
            events.accept(new RunEvent.Phase("dense", "evaluating " + info.name() + " on " + data.id()));
            // the dense model's confusion matrix; a resumed run holds the checkpoint's weights, so it reads the
            // input model again (unchanged: its digest was checked)
            ConfusionMatrix denseConfusion;
            if (resume == null) {
                denseConfusion = Evaluation.of(net, manager, data.test(), info.normalization()).confusion();
                dense = denseConfusion.accuracy();
            } else {
                try (NDManager inputManager = manager.newSubManager()) {
                    denseConfusion = Evaluation.of(ModelStore.load(input, inputManager).network(), inputManager,
                            data.test(), info.normalization()).confusion();
                }
                dense = resume.getDouble("run.dense");
            }
            events.accept(new RunEvent.Message("info", String.format("dense accuracy %.2f%%", 100 * dense)));
            return denseConfusion;
        }

        /**
         * Prunes with the method and hardens its masks (a run resumed in the fine-tune phase takes the hard masks
         * from its checkpoint); what the hard masks keep, in every measure.
         */
        private Accounting pruneAndHarden(PruneMethod method) throws RunCancelledException, DivergenceException {
            fixedEpochs = cfg.finetuneEpochs() + (method.oneShot() ? cfg.pruneEpochs() : 0);
            PruneMethod.Outcome pruned;
            double after;
            if (resumingIn("finetune")) {
                pruned = new PruneMethod.Outcome(new HardMasks(units.sets(), HardMasks.keep(resume,
                        units.sets().size()), manager), resume.getDouble("run.accuracyBefore"),
                        resume.getDouble("run.sharpness"), resume.getDouble("run.epsilonAtHardening"));
                after = resume.getDouble("run.accuracyAfter");
            } else {
                pruned = method.prune(this);
                muted = false;
                resume = null; // a method that trained no epoch after the checkpoint (its last) is past it now
                after = testAccuracy(null);
            }
            outcome = pruned;
            accuracyAfter = after;
            HardMasks hard = pruned.hard();
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
            return acc;
        }

        /**
         * Saves the pruned model: the compact model when the granularity compacts (checked against the masked model,
         * its structure and latency against the input model's into the summary), or the masked weights.
         */
        private void save(PruneUnits.Compaction compaction, Accounting acc, double finalAcc,
                PruneSummary.Builder summary) throws IOException, ModelFormatException {
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
            summary.compactMaxAbsDiff(maxDiff).speedBefore(speedBefore).speedAfter(speedAfter).structure(structure);
        }

        private TrainingLoop.Result loop(int epochs, String phase, TrainingLoop.StepHook hook)
                throws RunCancelledException, DivergenceException {
            TrainConfig tc = TrainConfig.builder().learningRate(cfg.learningRate()).epochs(epochs)
                    .batchSize(cfg.batchSize()).seed(cfg.seed()).build();
            int base = phase.equals("prune") ? pruneEpochsDone : 0;
            TrainingLoop loop = new TrainingLoop(net, manager, data.trainImages(), data.testImages(),
                    info.normalization(), tc, events, control, phase).withHook(hook)
                    .withAugmentation(cfg.dataOptions().augmentation(cfg.seed()))
                    .withEpochEnd((epoch, n, loopState) -> checkpoint(phase, base + epoch, hook, loopState));
            if (resumingIn(phase)) {
                int skip = resume.getInt("phaseEpochs") - base;
                if (skip < 0 || skip > epochs) {
                    throw new IllegalStateException("the checkpoint is at " + phase + " epoch "
                            + resume.getInt("phaseEpochs") + ", outside this loop's epochs " + (base + 1) + ".."
                            + (base + epochs));
                }
                if (skip > 0) {
                    if (hook instanceof TrainingLoop.Resumable r) {
                        r.restore(resume);
                    }
                    loop.withResume(skip, resume);
                }
                resume = null;
                muted = false;
            }
            TrainingLoop.Result r = loop.run();
            if (phase.equals("prune")) {
                pruneEpochsDone += epochs;
            }
            return r;
        }

        /**
         * The end of an epoch: weights, the loop's and the hook's state, and what later steps need from earlier
         * ones, written as the run's checkpoint (atomically: {@link Checkpoint#write}).
         */
        private void checkpoint(String phase, int phaseEpochs, TrainingLoop.StepHook hook,
                Consumer<TrainState> loopState) {
            TrainState st = new TrainState();
            st.put("phase", phase);
            st.put("phaseEpochs", phaseEpochs);
            st.put("run.finetuneEpochs", fixedEpochs);
            st.put("run.inputSha256", inputSha256);
            st.put("run.dense", dense);
            double[] prepared = units.prepared();
            if (prepared != null) {
                st.put("run.prepared", prepared);
            }
            if (phase.equals("finetune")) {
                st.put("run.accuracyBefore", outcome.accuracyBefore());
                st.put("run.sharpness", outcome.sharpness());
                st.put("run.epsilonAtHardening", outcome.epsilonAtHardening());
                st.put("run.accuracyAfter", accuracyAfter);
            }
            loopState.accept(st);
            if (hook instanceof TrainingLoop.Resumable r) {
                r.save(st);
            }
            st.put("run.metricsBytes", dir.metricsBytes());
            try {
                Checkpoint.write(dir.dir(), net, info, st);
            } catch (IOException e) {
                dir.append(new RunEvent.Message("warning", "could not save checkpoint: " + e.getMessage()));
            }
        }

        @Override
        public int skipResumedPruneEpochs() {
            if (!resumingIn("prune")) {
                return 0;
            }
            pruneEpochsDone = resume.getInt("phaseEpochs");
            muted = false; // the method's own work after the skipped epochs is new
            return pruneEpochsDone;
        }

        @Override
        public boolean[][] resumedMasks() {
            return resume == null ? null : HardMasks.keep(resume, units.sets().size());
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
}
