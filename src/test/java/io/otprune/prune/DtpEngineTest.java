package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.otprune.data.Dataset;
import io.otprune.data.Datasets;
import io.otprune.data.ImageSet;
import io.otprune.data.Normalization;
import io.otprune.data.Subsets;
import io.otprune.model.Architectures;
import io.otprune.model.Network;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import io.otprune.train.TrainConfig;
import io.otprune.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DtpEngineTest {
    static ImageSet train;
    static ImageSet test;

    @BeforeAll
    static void data() throws Exception {
        Dataset d = Datasets.load(Datasets.MNIST_SMALL);
        train = d.train().select(Subsets.range(1536));
        test = d.test().select(Subsets.range(300));
    }

    record Outcome(List<RunEvent> events, float[][] scoresBefore, float[][] scoresAfter, boolean[][] keep,
            double sharpness, List<UnitSet> sets) {}

    static Outcome prune(String arch, PruneConfig pc, int epochs) throws Exception {
        return prune(arch, pc, epochs, null);
    }

    /** {@code onHost}: the engine's score path (null: as the engine chooses, {@link HostScoreStep#suits}). */
    static Outcome prune(String arch, PruneConfig pc, int epochs, Boolean onHost) throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(1);
            Network net = new Network(Architectures.graph(arch, 1, 28, 28, 10));
            net.initialize(m);
            Normalization norm = Normalization.of(train);
            // a little dense training first, so magnitudes mean something
            new TrainingLoop(net, m, train, null, norm, TrainConfig.builder().weightDecay(0).stepEventInterval(1).build(), e -> {},
                    new RunControl(), "train").run();
            PruneUnits units = PruneUnits.of(net, pc.granularity());
            List<UnitSet> sets = units.sets();
            List<Problem> problems = Problems.build(sets, pc.budget(), pc.scope(), pc.keptFraction());
            List<RunEvent> events = new ArrayList<>();
            int steps = epochs * 12;
            DtpEngine engine = onHost == null ? new DtpEngine(units, problems, pc, m, steps, events::add)
                    : new DtpEngine(units, problems, pc, m, steps, events::add, onHost);
            float[][] before = new float[sets.size()][];
            for (int j = 0; j < sets.size(); j++) {
                before[j] = DtpEngine.initialScores(sets, problems, problemIndex(problems, sets.size()))[j];
            }
            new TrainingLoop(net, m, train, test, norm, TrainConfig.builder().learningRate(0.01).weightDecay(0).epochs(epochs).stepEventInterval(1).build(),
                    events::add, new RunControl(), "prune").withHook(engine).run();
            double sharp = engine.sharpness(m);
            float[][] after = engine.scoresSnapshot();
            boolean[][] keep = engine.harden();
            return new Outcome(events, before, after, keep, sharp, sets);
        }
    }

    static int[] problemIndex(List<Problem> problems, int sets) {
        int[] out = new int[sets];
        for (int p = 0; p < problems.size(); p++) {
            for (int j : problems.get(p).sets()) {
                out[j] = p;
            }
        }
        return out;
    }

    @Test
    void scoresLearnAndAutoTemperatureHardensTheMaskWithTheExactBudget() throws Exception {
        PruneConfig pc = PruneConfig.defaults(PruneConfig.Method.DTP, PruneConfig.Granularity.UNSTRUCTURED, 0.9);
        Outcome o = prune("mlp-300-100", pc, 4);
        // the scores received gradients and moved (they did not when masks were built outside the graph)
        double moved = 0;
        for (int j = 0; j < o.sets().size(); j++) {
            for (int i = 0; i < o.scoresBefore()[j].length; i++) {
                moved = Math.max(moved, Math.abs(o.scoresAfter()[j][i] - o.scoresBefore()[j][i]));
            }
        }
        assertThat(moved).isGreaterThan(0.05);
        // the soft budget is held by one Sinkhorn step per training step (plus the predictor when ε moves), within
        // 3% of the target all along even in this 48-step run where ε falls 100-fold
        List<RunEvent.Prune> prune = o.events().stream().filter(e -> e instanceof RunEvent.Prune)
                .map(e -> (RunEvent.Prune) e).toList();
        assertThat(prune).isNotEmpty();
        for (RunEvent.Prune p : prune) {
            assertThat(p.softKept()).isCloseTo(0.1, within(0.003));
        }
        // auto temperature: sharp at the end, with ε well below where it started
        assertThat(o.sharpness()).isGreaterThanOrEqualTo(0.99);
        assertThat(prune.get(prune.size() - 1).epsilon()).isLessThan(pc.initialEpsilon() / 10);
        // exactly 10% of the weights kept
        long units = 0, kept = 0;
        for (boolean[] k : o.keep()) {
            units += k.length;
            kept += ProblemsTest.count(k);
        }
        assertThat(kept).isEqualTo(Math.round(0.1 * units));
        assertThat(o.events()).anyMatch(e -> e instanceof RunEvent.Histogram);
    }

    /**
     * The host path ({@link HostScoreStep}, what a CPU run of a network's weights uses) computes what the tensor path
     * computes, rounded in another order: the same run on both ends with nearly the same scores and the same kept
     * weights, through every part of the step (τ implicit and its predictor, Adam, the floors' boost, the
     * statistics that drive the temperature, a FLOP budget's unequal costs). With the default per-score steps; a
     * shared second moment (--score-step set, the channels' default) moves each score in proportion to its
     * gradient and amplifies rounding within a few steps on both paths alike, so its host step is checked where it
     * is exact (ResumableOptimizerTest), and its gradients here in {@link #implicitTauGradientRemovesTheBudgetsGradient}.
     */
    @Test
    void hostStepComputesWhatTheTensorStepComputes() throws Exception {
        for (PruneConfig pc : List.of(
                PruneConfig.defaults(PruneConfig.Method.DTP, PruneConfig.Granularity.UNSTRUCTURED, 0.9)
                        .toBuilder().minKept(java.util.Map.of("fc2", 0.3)).build(),
                PruneConfig.builder().budget(PruneConfig.Budget.FLOPS).sparsity(0.8).build())) {
            Outcome host = prune("lenet5", pc, 2, true);
            Outcome tensor = prune("lenet5", pc, 2, false);
            long units = 0, differ = 0, far = 0;
            for (int j = 0; j < host.sets().size(); j++) {
                for (int i = 0; i < host.keep()[j].length; i++) {
                    units++;
                    differ += host.keep()[j][i] != tensor.keep()[j][i] ? 1 : 0;
                    far += Math.abs(host.scoresAfter()[j][i] - tensor.scoresAfter()[j][i]) > 1e-3 ? 1 : 0;
                }
            }
            assertThat(units).isGreaterThan(60_000);
            // rounding moves a score only where its gradient's sign is a matter of rounding (a saturated mask)
            assertThat(far).as("scores more than 1e-3 apart").isLessThan(units / 1000);
            assertThat(differ).as("units kept by one path only").isLessThan(units / 1000);
            List<RunEvent.Prune> h = progress(host), t = progress(tensor);
            assertThat(h).hasSameSizeAs(t);
            for (int k = 0; k < h.size(); k++) {
                assertThat(h.get(k).epsilon()).isCloseTo(t.get(k).epsilon(), within(1e-4 * t.get(k).epsilon()));
                assertThat(h.get(k).softKept()).isCloseTo(t.get(k).softKept(), within(1e-4));
                assertThat(h.get(k).sharpness()).isCloseTo(t.get(k).sharpness(), within(1e-3));
            }
        }
    }

    private static List<RunEvent.Prune> progress(Outcome o) {
        return o.events().stream().filter(e -> e instanceof RunEvent.Prune).map(e -> (RunEvent.Prune) e).toList();
    }

    @Test
    void floorsHoldInTheSoftMasksSoHardeningKeepsWhatTrainingUsed() throws Exception {
        // 0.95 global keeps about 16% of fc2 (811 of 5,000 weights) without a floor; the floor asks for 60%
        PruneConfig pc = PruneConfig.defaults(PruneConfig.Method.DTP, PruneConfig.Granularity.UNSTRUCTURED, 0.95)
                .toBuilder().minKept(java.util.Map.of("fc2", 0.6)).build();
        Outcome o = prune("lenet5", pc, 4);
        int fc2 = 3;
        assertThat(o.sets().get(fc2).name()).isEqualTo("fc2");
        RunEvent.Mask last = null;
        for (RunEvent e : o.events()) {
            if (e instanceof RunEvent.Mask mk && mk.set().equals("fc2")) {
                last = mk;
            }
        }
        assertThat(last).isNotNull();
        int softKept = 0;
        for (float v : last.values()) {
            softKept += v > 0.99f ? 1 : 0;
        }
        // trained with the floor: 3,000 of fc2's masks were 1, and hardening keeps those
        assertThat(softKept).isGreaterThanOrEqualTo(3000);
        int hardKept = 0;
        for (int i = 0; i < o.keep()[fc2].length; i++) {
            hardKept += o.keep()[fc2][i] ? 1 : 0;
            if (last.values()[i] > 0.99f) {
                assertThat(o.keep()[fc2][i]).as("unit %d", i).isTrue();
            }
        }
        assertThat(hardKept).isGreaterThanOrEqualTo(3000);
        // the transport spent the rest of the budget on the other layers: the soft plan still keeps 5% in all
        RunEvent.Prune end = null;
        for (RunEvent e : o.events()) {
            if (e instanceof RunEvent.Prune p) {
                end = p;
            }
        }
        assertThat(end.softKept()).isCloseTo(0.05, within(0.002));
    }

    @Test
    void layerScopeAndFlopBudgetAreExact() throws Exception {
        PruneConfig pc = PruneConfig.builder().budget(PruneConfig.Budget.FLOPS).scope(PruneConfig.Scope.LAYER)
                .sparsity(0.7).temperature(PruneConfig.TemperatureMode.SCHEDULE).build();
        Outcome o = prune("lenet5", pc, 1);
        for (int j = 0; j < o.sets().size(); j++) {
            // per-layer problems with uniform costs inside a layer: exactly round(0.3 n) per layer
            assertThat((long) ProblemsTest.count(o.keep()[j])).isEqualTo(Math.round(0.3 * o.keep()[j].length));
        }
    }

    /**
     * The implicit τ gradient: with it the kept count Σm is, to first order, fixed by the budget whatever the scores
     * do, so its gradient w.r.t. every score is zero; with τ fixed for autograd that gradient is m(1 − m)/ε per
     * score, which is what makes all scores drift up together. The same with unequal costs (a FLOP budget over
     * channels): there the budget's own measure, Σ c·m, is what stays put.
     */
    @Test
    void implicitTauGradientRemovesTheBudgetsGradient() throws Exception {
        for (PruneConfig.Builder b : List.of(PruneConfig.builder().sparsity(0.8), PruneConfig.builder().sparsity(0.8)
                .granularity(PruneConfig.Granularity.STRUCTURED).budget(PruneConfig.Budget.FLOPS))) {
            for (boolean onHost : new boolean[] {false, true}) {
                String gran = PruneConfig.word(b.build().granularity()) + (onHost ? " on the host" : " on tensors");
                double fixed = largestBudgetGradient(b.tauGradient(PruneConfig.TauGradient.FIXED).build(), onHost);
                double implicit = largestBudgetGradient(b.tauGradient(PruneConfig.TauGradient.IMPLICIT).build(),
                        onHost);
                assertThat(fixed).as("%s, τ fixed", gran).isGreaterThan(0.1);
                assertThat(implicit).as("%s, τ implicit", gran).isLessThan(1e-5 * fixed);
            }
        }
    }

    /** The largest |∂(Σ c·m)/∂s| over the scores of a fresh mlp-300-100, c each unit's cost in the budget. */
    private static double largestBudgetGradient(PruneConfig pc, boolean onHost) throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(1);
            Network net = new Network(Architectures.graph("mlp-300-100", 1, 28, 28, 10));
            net.initialize(m);
            PruneUnits units = PruneUnits.of(net, pc.granularity());
            List<Problem> problems = Problems.build(units.sets(), pc.budget(), pc.scope(), pc.keptFraction());
            DtpEngine engine = new DtpEngine(units, problems, pc, m, 10, e -> {}, onHost);
            double largest = 0;
            try (NDManager step = m.newSubManager()) {
                NDArray[] masks;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    masks = engine.softMasks(step);
                    NDArray spent = null;
                    for (Problem p : problems) {
                        int[] js = p.sets();
                        for (int k = 0; k < js.length; k++) {
                            float[] c = toFloats(p.costs(k));
                            NDArray part = masks[js[k]].mul(step.create(c, masks[js[k]].getShape())).sum();
                            spent = spent == null ? part : spent.add(part);
                        }
                    }
                    gc.backward(spent);
                }
                for (NDArray g : engine.scoreGradients(step, masks)) {
                    for (float v : g.toFloatArray()) {
                        largest = Math.max(largest, Math.abs(v));
                    }
                }
            }
            engine.close();
            return largest;
        }
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
