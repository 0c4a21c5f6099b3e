package io.otprune.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.otprune.data.Batches;
import io.otprune.data.Dataset;
import io.otprune.data.DatasetException;
import io.otprune.data.Datasets;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelInfo;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import io.otprune.prune.ActivationEntropy;
import io.otprune.prune.Baselines;
import io.otprune.prune.Egp;
import io.otprune.prune.Folding;
import io.otprune.prune.ChannelGraph;
import io.otprune.prune.ChannelUnits;
import io.otprune.prune.Compactor;
import io.otprune.prune.Cpot;
import io.otprune.prune.DepthUnits;
import io.otprune.prune.DtpEngine;
import io.otprune.prune.HardMasks;
import io.otprune.prune.Problem;
import io.otprune.prune.Problems;
import io.otprune.prune.PruneConfig;
import io.otprune.prune.Selection;
import io.otprune.prune.UnitSet;
import io.otprune.prune.UnitSets;
import io.otprune.train.Devices;
import io.otprune.train.DivergenceException;
import io.otprune.train.Evaluation;
import io.otprune.train.Latency;
import io.otprune.util.Files2;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import io.otprune.train.TrainConfig;
import io.otprune.train.TrainingLoop;
import io.otprune.util.Versions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A whole pruning run: dense evaluation → prune phase → harden (exact budget) → fine-tune → summary and model.
 * The CLI and the GUI both call {@link #execute}; it runs on the calling thread (one thread for all DJL work).
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
        Dataset data = Datasets.load(cfg.data(), cfg.dataOptions().withShape(new io.otprune.data.ImageShape(
                denseInfo.architecture().inChannels(), denseInfo.architecture().height(),
                denseInfo.architecture().width())), control);
        Device device = Devices.resolve(cfg.device());
        if (denseInfo.architecture().height() != data.shape().height()
                || denseInfo.architecture().width() != data.shape().width()
                || denseInfo.architecture().classes() != data.numClasses()) {
            throw new IllegalArgumentException("model " + cfg.model() + " expects " + denseInfo.architecture().height()
                    + "x" + denseInfo.architecture().width() + " images in " + denseInfo.architecture().classes()
                    + " classes; data set " + data.id() + " has " + data.shape().height() + "x" + data.shape().width()
                    + " in " + data.numClasses());
        }
        validate(denseInfo, cfg.prune());
        try (RunDirectory dir = RunDirectory.create(out, force);
                NDManager manager = NDManager.newBaseManager(device)) {
            dir.writeRunJson(cfg, Versions.all());
            Consumer<RunEvent> events = dir.events(listener);
            try {
                return body(cfg, data, device, dir, manager, events, control, start);
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

    private static PruneSummary body(PruneRunConfig cfg, Dataset data, Device device, RunDirectory dir,
            NDManager manager, Consumer<RunEvent> events, RunControl control, long start)
            throws IOException, ModelFormatException, RunCancelledException, DivergenceException {
        PruneConfig pc = cfg.prune();
        Engine.getInstance().setRandomSeed((int) cfg.seed());
        ModelStore.Loaded loaded = ModelStore.load(Path.of(cfg.model()), manager);
        Network net = loaded.network();
        ModelInfo info = loaded.info();
        List<UnitSet> sets = UnitSets.of(net, pc.granularity());
        if (pc.budget() == PruneConfig.Budget.LATENCY) {
            events.accept(new RunEvent.Phase("dense", "measuring each residual block's latency at batch "
                    + pc.latencyBatch()));
            double[] ms = ((DepthUnits) sets.get(0)).measureLatency(manager, pc.latencyBatch(), 31);
            events.accept(new RunEvent.Message("info", "block latencies (ms, median of 31): "
                    + java.util.Arrays.toString(java.util.Arrays.stream(ms)
                            .mapToObj(v -> String.format("%.3f", v)).toArray())));
        }
        List<Problem> problems = Problems.build(sets, pc.budget(), pc.scope(), pc.keptFraction());
        checkBudget(problems, pc);

        events.accept(new RunEvent.Phase("dense", "evaluating " + info.architecture().id() + " on " + data.id()));
        double dense = Evaluation.of(net, manager, data.test(), info.normalization()).accuracy();
        events.accept(new RunEvent.Message("info", String.format("dense accuracy %.2f%%", 100 * dense)));

        int perEpoch = new Batches(data.train(), info.normalization(), cfg.batchSize()).count();
        int pruneSteps = perEpoch * cfg.pruneEpochs();
        TrainingLoop.StepHook checkpoint = checkpointHook(dir, net, info, data);
        double before;
        double after;
        double sharpness = 1.0;
        double epsAtHardening = Double.NaN;
        HardMasks hard;
        Consumer<RunEvent> loopEvents = events;
        switch (pc.method()) {
            case DTP -> {
                events.accept(new RunEvent.Phase("prune", String.format(
                        "DTP, %d unit sets, %d transport problem(s), target sparsity %.4f (%s, %s), ε₀ %.3g, %s",
                        sets.size(), problems.size(), pc.sparsity(), lower(pc.budget()), lower(pc.scope()),
                        pc.initialEpsilon(), lower(pc.temperature()))));
                DtpEngine engine = new DtpEngine(sets, problems, pc, manager, pruneSteps, events);
                if (cfg.pruneEpochs() > 0) {
                    loop(net, manager, data, info, cfg, cfg.pruneEpochs(), loopEvents, control, "prune",
                            TrainingLoop.StepHook.both(engine, checkpoint));
                }
                before = TrainingLoop.evaluate(net, manager, data.test(), info.normalization(), engine).accuracy();
                sharpness = engine.sharpness(manager);
                epsAtHardening = engine.epsilon();
                hard = new HardMasks(sets, engine.harden(), manager);
                engine.close();
            }
            case GMP -> {
                events.accept(new RunEvent.Phase("prune", "gradual magnitude pruning to " + pc.sparsity()));
                Baselines.Gmp gmp = new Baselines.Gmp(sets, pc, manager, pruneSteps);
                if (cfg.pruneEpochs() > 0) {
                    loop(net, manager, data, info, cfg, cfg.pruneEpochs(), loopEvents, control, "prune",
                            TrainingLoop.StepHook.both(gmp, checkpoint));
                }
                // the schedule ends exactly at the target; recompute so a zero-epoch phase is handled too
                before = Evaluation.of(net, manager, data.test(), info.normalization()).accuracy();
                if (gmp.masks() != null) {
                    gmp.masks().close();
                }
                hard = new HardMasks(sets, Selection.harden(sets, problems, Baselines.magnitudes(sets), pc,
                        pc.keptFraction()), manager);
            }
            case EGP -> {
                int iterations = Math.max(1, cfg.pruneEpochs());
                events.accept(new RunEvent.Phase("prune", String.format("EGP: %d iteration(s) of entropy-guided "
                        + "magnitude pruning to %s, one epoch of training after each", iterations, pc.sparsity())));
                long units = 0;
                boolean[][] keep = new boolean[sets.size()][];
                for (int j = 0; j < sets.size(); j++) {
                    keep[j] = new boolean[sets.get(j).size()];
                    java.util.Arrays.fill(keep[j], true);
                    units += keep[j].length;
                }
                HardMasks current = null;
                for (int t = 1; t <= iterations; t++) {
                    control.checkpoint();
                    List<ActivationEntropy.Layer> h = ActivationEntropy.measure(net, manager, data.train(),
                            info.normalization(), ENTROPY_SAMPLES);
                    Map<String, Double> byRelu = new java.util.HashMap<>();
                    h.forEach(l -> byRelu.put(l.name(), l.entropy()));
                    long target = Egp.keptAfter(units, pc.sparsity(), t, iterations);
                    keep = Egp.prune(sets, Egp.setEntropies(net, sets, byRelu), keep, target);
                    if (current != null) {
                        current.close();
                    }
                    current = new HardMasks(sets, keep, manager);
                    double reached = 1 - (double) target / units;
                    events.accept(ActivationEntropy.event(t, iterations, reached, h, ActivationEntropy.removable(h)));
                    if (cfg.pruneEpochs() > 0) {
                        loop(net, manager, data, info, cfg, 1, loopEvents, control, "prune",
                                TrainingLoop.StepHook.both(current, checkpoint));
                    }
                }
                before = Evaluation.of(net, manager, data.test(), info.normalization()).accuracy();
                hard = current;
            }
            default -> {
                String what = switch (pc.method()) {
                    case MAGNITUDE -> "one-shot magnitude";
                    case CPOT -> "CPOT (distance to the layer's Wasserstein barycenter)";
                    case CPOT_MERGE -> "CPOT with merging of pruned channels into kept ones";
                    default -> "random";
                };
                events.accept(new RunEvent.Phase("prune", what + " pruning to " + pc.sparsity()
                        + ", then training with the mask fixed"));
                before = dense;
                List<float[]> sc = switch (pc.method()) {
                    case MAGNITUDE -> Baselines.magnitudes(sets);
                    case CPOT, CPOT_MERGE -> Cpot.scores(sets);
                    default -> Baselines.random(sets, cfg.seed());
                };
                boolean[][] keep = Selection.harden(sets, problems, sc, pc, pc.keptFraction());
                if (pc.method() == PruneConfig.Method.CPOT_MERGE) {
                    Cpot.merge(sets, keep);
                }
                hard = new HardMasks(sets, keep, manager);
            }
        }
        after = Evaluation.of(net, manager, data.test(), info.normalization()).accuracy();
        for (int j = 0; j < sets.size(); j++) {
            boolean[] k = hard.keep()[j];
            float[] v = new float[k.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = k[i] ? 1f : 0f;
            }
            events.accept(new RunEvent.Mask(pruneSteps, sets.get(j).name(), sets.get(j).shape().getShape(), v, true));
        }
        Accounting acc = Accounting.of(sets, hard.keep(), pc.budget(), net);
        events.accept(new RunEvent.Hardened(before, after, after - before, sharpness, acc.achieved(),
                pc.sparsity()));
        events.accept(new RunEvent.Message("info", String.format(
                "hardened: accuracy %.2f%% -> %.2f%% (gap %+.2f points), sharpness %.4f, sparsity %.6f",
                100 * before, 100 * after, 100 * (after - before), sharpness, acc.achieved())));

        // methods that prune at once train with the fixed mask during the prune epochs too: equal epochs
        int fixedEpochs = cfg.finetuneEpochs()
                + (oneShot(pc.method()) ? cfg.pruneEpochs() : 0);
        double finalAcc = after;
        if (fixedEpochs > 0) {
            events.accept(new RunEvent.Phase("finetune", fixedEpochs + " epochs with the hard mask fixed"));
            TrainingLoop.Result r = loop(net, manager, data, info, cfg, fixedEpochs, loopEvents, control,
                    "finetune", TrainingLoop.StepHook.both(hard, checkpoint));
            finalAcc = r.test().accuracy();
        }
        hard.enforce();
        ModelInfo prunedInfo = new ModelInfo(ModelInfo.FORMAT, net.spec(), info.classNames(), data.id(),
                info.normalization(), finalAcc, data.test().count(), dense, acc.paramsAfter(), acc.flopsAfter(),
                acc.unitSparsity(), cfg.command(), cfg.seed(), null, null, Versions.all(), Instant.now().toString());
        Double maxDiff = null;
        PruneSummary.Speed speedBefore = null, speedAfter = null;
        Network small = null;
        String change = null;
        List<PruneSummary.Entropy> entropy = null;
        if (pc.granularity() == PruneConfig.Granularity.STRUCTURED) {
            ChannelGraph graph = ((ChannelUnits) sets.get(0)).graph();
            small = Compactor.compact(net, graph, Compactor.keptChannels(sets, hard.keep()), manager);
            change = "widths " + net.spec().widths() + " -> " + small.spec().widths();
        } else if (pc.method() == PruneConfig.Method.EGP) {
            List<ActivationEntropy.Layer> h = ActivationEntropy.measure(net, manager, data.train(),
                    info.normalization(), ENTROPY_SAMPLES);
            Map<String, boolean[]> fold = new java.util.LinkedHashMap<>();
            entropy = new ArrayList<>();
            for (ActivationEntropy.Layer l : h) {
                String status;
                if (!l.removable()) {
                    status = "active";
                } else if (Folding.foldable(net, l.name())) {
                    fold.put(l.name(), l.alwaysOnMask());
                    status = "removable: folded into the next layer";
                } else {
                    status = "removable, not folded: no exact merge with what follows (3×3 conv, pooling or a residual "
                            + "addition)";
                }
                entropy.add(new PruneSummary.Entropy(l.name(), l.entropy(), l.channels(), l.alwaysOn(), l.alwaysOff(),
                        status));
            }
            events.accept(ActivationEntropy.event(Math.max(1, cfg.pruneEpochs()) + 1, Math.max(1, cfg.pruneEpochs()),
                    pc.sparsity(), h, ActivationEntropy.removable(h)));
            if (!fold.isEmpty()) {
                small = Folding.foldDense(net, fold, manager);
                change = "folded " + fold.keySet() + " (ReLU constant on every channel over " + ENTROPY_SAMPLES
                        + " training images), conv/linear layers " + net.layers().size() + " -> "
                        + small.layers().size();
                Compactor.Difference diff = Compactor.difference(net, small, manager, data.test(),
                        info.normalization());
                if (!diff.equal()) {
                    // constant over the probe images but not over the test set: keep the layers
                    events.accept(new RunEvent.Message("warning", String.format("not folding %s: the folded model "
                            + "differs by %.2e on the test set (a ReLU was constant on the training images only)",
                            fold.keySet(), diff.maxAbsDiff())));
                    small = null;
                }
            }
        } else if (pc.granularity() == PruneConfig.Granularity.DEPTH) {
            List<String> removed = ((DepthUnits) sets.get(0)).removedBlocks(hard.keep()[0]);
            small = Compactor.removeBlocks(net, removed, manager);
            change = String.format("blocks removed %s, conv/linear layers %d -> %d, depth %d -> %d", removed,
                    net.layers().size(), small.layers().size(), net.depth(), small.depth());
        }
        PruneSummary.Structure structure = null;
        if (small != null) {
            Compactor.Difference d = Compactor.difference(net, small, manager, data.test(), info.normalization());
            maxDiff = d.maxAbsDiff();
            events.accept(new RunEvent.Message("info", String.format(
                    "compact model: %s, max |logit difference| vs the masked model %.2e (logits up to %.3g)", change,
                    maxDiff, d.maxAbsLogit())));
            if (!d.equal()) {
                throw new IllegalStateException("the compact model differs from the masked model by " + maxDiff
                        + " (> 1e-4 of the logits' scale); not saving it");
            }
            structure = new PruneSummary.Structure(net.layers().size(), small.layers().size(), net.depth(),
                    small.depth(), small.spec().removed());
            prunedInfo = new ModelInfo(prunedInfo.format(), small.spec(), prunedInfo.classNames(), prunedInfo.dataset(),
                    prunedInfo.normalization(), finalAcc, prunedInfo.testSamples(), dense, small.paramCount(),
                    small.macs(), Compactor.zeroFraction(small), prunedInfo.trainingCommand(), prunedInfo.seed(), null, null,
                    prunedInfo.versions(), prunedInfo.createdAt());
            ModelStore.save(dir.modelDir(), small, prunedInfo, false);
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
                    speedBefore.batch1Ms(), speedAfter.batch1Ms(), speedBefore.batch256Ms(), speedAfter.batch256Ms(),
                    speedBefore.fileBytes(), speedAfter.fileBytes())));
        } else {
            ModelStore.save(dir.modelDir(), net, prunedInfo, false);
        }
        Checkpoint.remove(dir);
        PruneSummary s = new PruneSummary(lower(pc.method()), lower(pc.granularity()), lower(pc.budget()),
                lower(pc.scope()), pc.sparsity(), acc.achieved(), acc.unitSparsity(), acc.paramSparsity(),
                acc.flopSparsity(), dense, before, after, finalAcc, after - before, sharpness, epsAtHardening,
                acc.layers(), acc.paramsBefore(), acc.paramsAfter(), acc.flopsBefore(), acc.flopsAfter(),
                acc.units(), acc.kept(), (System.nanoTime() - start) / 1e9, device.toString(),
                dir.modelDir().toString(), maxDiff, speedBefore, speedAfter,
                pc.granularity() == PruneConfig.Granularity.UNSTRUCTURED
                        ? "unstructured sparsity: the weights are zeros in dense tensors, so dense kernels run no "
                                + "faster and the file is no smaller; use structured pruning for speed and size"
                        : "", structure, entropy);
        dir.writeSummary(s);
        events.accept(new RunEvent.Phase("done", String.format("final accuracy %.2f%% (dense %.2f%%)",
                100 * finalAcc, 100 * dense)));
        return s;
    }

    private static TrainingLoop.Result loop(Network net, NDManager manager, Dataset data, ModelInfo info,
            PruneRunConfig cfg, int epochs, Consumer<RunEvent> events, RunControl control, String phase,
            TrainingLoop.StepHook hook) throws RunCancelledException, DivergenceException {
        TrainConfig tc = new TrainConfig("sgd", cfg.learningRate(), 0.9, 5e-4, epochs, cfg.batchSize(), cfg.seed(), 20);
        return new TrainingLoop(net, manager, data.trainImages(), data.testImages(), info.normalization(), tc, events,
                control, phase).withHook(hook).withAugmentation(cfg.dataOptions().augmentation(cfg.seed())).run();
    }

    /** After every finished epoch (its loss was finite), the weights are saved as the last good checkpoint. */
    private static TrainingLoop.StepHook checkpointHook(RunDirectory dir, Network net, ModelInfo info, Dataset data) {
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

    /** Checks granularity and budget on the model's architecture before anything is written. */
    private static void validate(ModelInfo info, PruneConfig pc) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network net = io.otprune.model.Architectures.build(info.architecture());
            net.initialize(m);
            List<UnitSet> sets = UnitSets.of(net, pc.granularity());
            // latency costs are measured in the run; the dry check counts blocks instead
            PruneConfig.Budget budget = pc.budget() == PruneConfig.Budget.LATENCY ? PruneConfig.Budget.COUNT
                    : pc.budget();
            List<Problem> problems = Problems.build(sets, budget, pc.scope(), pc.keptFraction());
            checkBudget(problems, pc);
            // a dry selection finds budgets the channel floor makes impossible
            Selection.harden(sets, problems, Baselines.magnitudes(sets), pc, pc.keptFraction());
        }
    }

    private static void checkBudget(List<Problem> problems, PruneConfig pc) {
        for (Problem p : problems) {
            // the cheapest unit must fit in the kept budget, or nothing at all would be kept
            if (pc.keptFraction() * p.totalCost() < p.minUnitCost()) {
                throw new Selection.BudgetException(String.format(
                        "sparsity %s cannot be met: it keeps %.4g of %s's %.4g %s, less than its cheapest unit; "
                                + "lower the sparsity or use another scope", pc.sparsity(),
                        pc.keptFraction() * p.totalCost(), p.name(), p.totalCost(), lower(pc.budget())));
            }
        }
    }

    /** Training images an activation-entropy measurement runs through the network. */
    static final int ENTROPY_SAMPLES = 10_000;

    /** Methods that prune at once, before any training. */
    static boolean oneShot(PruneConfig.Method m) {
        return switch (m) {
            case MAGNITUDE, RANDOM, CPOT, CPOT_MERGE -> true;
            default -> false;
        };
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Location of the last good checkpoint inside a run folder; removed once the run ends well. */
    static final class Checkpoint {
        static final String DIR = "checkpoint";

        static void remove(RunDirectory dir) throws IOException {
            io.otprune.util.Files2.deleteRecursively(dir.dir().resolve(DIR));
        }
    }

    /** Exact counts of the compact model a channel selection gives; per layer, its output channels. */
    static Accounting structured(List<UnitSet> sets, boolean[][] keep, PruneConfig.Budget budget, Network net) {
        ChannelGraph graph = ((ChannelUnits) sets.get(0)).graph();
        Map<ChannelGraph.Space, Integer> counts = new IdentityHashMap<>();
        long units = 0, kept = 0;
        for (int j = 0; j < sets.size(); j++) {
            int k = 0;
            for (boolean b : keep[j]) {
                k += b ? 1 : 0;
            }
            counts.put(((ChannelUnits) sets.get(j)).space(), k);
            units += keep[j].length;
            kept += k;
        }
        long[] before = graph.countWith(new IdentityHashMap<>());
        long[] after = graph.countWith(counts);
        List<PruneSummary.Layer> layers = new ArrayList<>();
        for (PrunableLayer l : net.layers()) {
            ChannelGraph.Space out = graph.outputOf(l);
            long[] full = graph.count(l, new IdentityHashMap<>());
            long[] now = graph.count(l, counts);
            layers.add(new PruneSummary.Layer(l.name(), out.size(), counts.getOrDefault(out, out.size()), full[0],
                    now[0], full[1], now[1]));
        }
        double unitSparsity = 1 - (double) kept / units;
        double paramSparsity = 1 - (double) after[0] / before[0];
        double flopSparsity = 1 - (double) after[1] / before[1];
        double achieved = switch (budget) {
            case COUNT -> unitSparsity;
            case PARAMS -> paramSparsity;
            case FLOPS -> flopSparsity;
            case LATENCY -> throw new IllegalArgumentException("a latency budget is for depth units");
        };
        return new Accounting(achieved, unitSparsity, paramSparsity, flopSparsity, layers, before[0], after[0],
                before[1], after[1], units, kept);
    }

    /** What a hard mask keeps, in every measure. */
    record Accounting(double achieved, double unitSparsity, double paramSparsity, double flopSparsity,
            List<PruneSummary.Layer> layers, long paramsBefore, long paramsAfter, long flopsBefore, long flopsAfter,
            long units, long kept) {

        static Accounting of(List<UnitSet> sets, boolean[][] keep, PruneConfig.Budget budget, Network net) {
            if (!sets.isEmpty() && sets.get(0) instanceof ChannelUnits) {
                return structured(sets, keep, budget, net);
            }
            long units = 0, kept = 0;
            double p = 0, pk = 0, f = 0, fk = 0, b = 0, bk = 0;
            List<PruneSummary.Layer> layers = new ArrayList<>();
            for (int j = 0; j < sets.size(); j++) {
                UnitSet u = sets.get(j);
                double[] pc = u.paramCosts(), fc = u.flopCosts(), bc = u.costs(budget);
                double lp = 0, lpk = 0, lf = 0, lfk = 0;
                int lk = 0;
                for (int i = 0; i < u.size(); i++) {
                    lp += pc[i];
                    lf += fc[i];
                    b += bc[i];
                    if (keep[j][i]) {
                        lk++;
                        lpk += pc[i];
                        lfk += fc[i];
                        bk += bc[i];
                    }
                }
                layers.add(new PruneSummary.Layer(u.name(), u.size(), lk, Math.round(lp), Math.round(lpk),
                        Math.round(lf), Math.round(lfk)));
                units += u.size();
                kept += lk;
                p += lp;
                pk += lpk;
                f += lf;
                fk += lfk;
            }
            long paramsBefore = net.paramCount();
            long flopsBefore = net.macs();
            return new Accounting(1 - bk / b, 1 - (double) kept / units, 1 - pk / p, 1 - fk / f, layers,
                    paramsBefore, paramsBefore - Math.round(p - pk), flopsBefore, flopsBefore - Math.round(f - fk),
                    units, kept);
        }
    }
}
