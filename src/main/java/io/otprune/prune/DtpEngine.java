package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import io.otprune.ot.TopK;
import io.otprune.ot.TwoPointTransport;
import io.otprune.train.ResumableOptimizer;
import io.otprune.train.RunEvent;
import io.otprune.train.TrainState;
import io.otprune.train.TrainingLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Differentiable Transportation Pruning during training (docs/design.md §1).
 *
 * <p>Every unit set has a learnable score tensor s, initialised to its magnitudes divided by the set's mean
 * magnitude (so layers of different weight scales start comparable and one temperature serves all). Before each
 * forward pass the soft mask m = σ((s − τ)/ε) is built with gradients to s and installed; after the optimizer
 * step the scores take an Adam step, then τ of each transport problem takes ONE Sinkhorn column-scaling step
 * (warm-started from the last step; within a step τ is a constant for autograd), and the temperature moves.
 *
 * <p>Arrays: scores live in the run's manager; masks live in the step's manager and go with it.
 */
public final class DtpEngine implements TrainingLoop.StepHook, TrainingLoop.Resumable {
    private static final int HISTOGRAM_BINS = 40;
    /**
     * Problems this small (depth units: one per residual block) are solved to convergence every step, which costs
     * microseconds. The single warm-started iteration moves τ by at most ε·|logit K − logit ρ| per step; with a few
     * units whose scores all drift the same way (every block "wants" to stay) it fell behind once ε was small
     * (measured on resnet20 blocks: soft kept share 0.889 against a target of 0.5 at the end of the prune phase, and
     * a −69-point hardening gap). Large problems keep the one iteration, where a solve would cost.
     */
    static final int SMALL_PROBLEM = 256;

    private final PruneUnits units;
    private final List<UnitSet> sets;
    private final List<Problem> problems;
    private final int[] problemOfSet;
    private final PruneConfig config;
    private final NDArray[] scores;
    private final NDArray[] costs; // per set; null where all units of the set cost the same
    private final double[] uniformCost;
    private final Temperature temperature;
    private final ResumableOptimizer scoreOptimizer;
    private final NDManager manager;
    private final Consumer<RunEvent> events;
    private final int totalSteps;
    private final int statsInterval;
    private final int histogramInterval;
    private final String[] scoreIds;
    private NDArray[] masks;
    /** Per set, the least units it keeps ({@link PruneConfig#minKept}); all 0 without floors. */
    private final int[] floorUnits;
    /**
     * Per set with a floor: B on its {@code floorUnits} best-scored units and 0 elsewhere, added to the scores in
     * the soft mask (null for a set without one). See {@link #refreshFloors}.
     */
    private final NDArray[] boost;
    private final float[][] boostHost;
    /** The scores' per-step work on the host ({@link HostScoreStep#suits}), or null: on tensors. */
    private final HostScoreStep host;
    private int stepsSinceStats;
    private double lastSharpness = Double.NaN;

    public DtpEngine(PruneUnits units, List<Problem> problems, PruneConfig config, NDManager manager,
            int totalSteps, Consumer<RunEvent> events) {
        this(units, problems, config, manager, totalSteps, events, HostScoreStep.suits(manager, units.sets()));
    }

    /** {@code onHost}: the scores' per-step work on the host ({@link HostScoreStep}); tests compare both paths. */
    DtpEngine(PruneUnits units, List<Problem> problems, PruneConfig config, NDManager manager,
            int totalSteps, Consumer<RunEvent> events, boolean onHost) {
        this.units = units;
        this.manager = manager;
        this.sets = units.sets();
        this.problems = problems;
        this.config = config;
        this.events = events;
        this.totalSteps = Math.max(1, totalSteps);
        this.statsInterval = Math.max(1, this.totalSteps / 250);
        this.histogramInterval = Math.max(1, this.totalSteps / 40);
        this.problemOfSet = new int[sets.size()];
        for (int p = 0; p < problems.size(); p++) {
            for (int j : problems.get(p).sets()) {
                problemOfSet[j] = p;
            }
        }
        scores = new NDArray[sets.size()];
        costs = new NDArray[sets.size()];
        uniformCost = new double[sets.size()];
        scoreIds = new String[sets.size()];
        float[][] init = initialScores(sets, problems, problemOfSet);
        for (int j = 0; j < sets.size(); j++) {
            UnitSet u = sets.get(j);
            scores[j] = manager.create(init[j], u.shape());
            // on the host path the masks are the graph's leaves and the scores' gradient is formed on the host
            scores[j].setRequiresGradient(!onHost);
            scoreIds[j] = "score:" + u.name();
            double[] c = problems.get(problemOfSet[j]).costs(indexIn(problems.get(problemOfSet[j]), j));
            boolean uniform = Arrays.stream(c).allMatch(v -> v == c[0]);
            uniformCost[j] = uniform ? c[0] : Double.NaN;
            if (!uniform) {
                float[] cf = new float[c.length];
                for (int i = 0; i < c.length; i++) {
                    cf[i] = (float) c[i];
                }
                costs[j] = manager.create(cf, u.shape());
            }
        }
        for (Problem p : problems) {
            if (p.units() <= SMALL_PROBLEM && p.uniformCosts()) {
                // a count over a few units keeps exactly k of them: aim the soft plan at k/n, not at a share
                // between two whole units, so the masks can become exactly hard
                p.setRho(Math.max(1, Math.round(p.rho() * p.units())) / (double) p.units());
            }
        }
        temperature = new Temperature(config.temperature(), config.initialEpsilon(), this.totalSteps);
        scoreOptimizer = config.scoreStep() == PruneConfig.ScoreStep.SET
                ? ResumableOptimizer.adamSharedSecondMoment(Tracker.fixed((float) config.scoreLearningRate()))
                : ResumableOptimizer.adam(Tracker.fixed((float) config.scoreLearningRate()), 0f);
        host = onHost ? new HostScoreStep(sets, problems, scores, costs, uniformCost, manager) : null;
        floorUnits = Selection.floorUnits(sets, config);
        boost = new NDArray[sets.size()];
        boostHost = new float[sets.size()][];
        refreshFloors();
        retarget();
        solveConverged();
    }

    private static int indexIn(Problem p, int set) {
        int[] s = p.sets();
        for (int k = 0; k < s.length; k++) {
            if (s[k] == set) {
                return k;
            }
        }
        throw new IllegalStateException("set " + set + " not in problem " + p.name());
    }

    /**
     * Initial scores: magnitudes divided by the mean magnitude of their transport problem, so every problem's
     * scores have mean 1 and one temperature serves all. Normalising per problem (not per layer) keeps, in global
     * scope, the ranking of global magnitude pruning, and with it the per-layer allocation a trained network's
     * magnitudes already express; per-layer normalisation would start every layer at the same sparsity (measured:
     * lenet5 at 90% keeps 9% of conv1 and ends 5 points below global magnitude).
     */
    static float[][] initialScores(List<UnitSet> sets, List<Problem> problems, int[] problemOfSet) {
        float[][] mag = new float[sets.size()][];
        double[] sum = new double[problems.size()];
        long[] count = new long[problems.size()];
        for (int j = 0; j < sets.size(); j++) {
            mag[j] = sets.get(j).magnitudes();
            for (float v : mag[j]) {
                sum[problemOfSet[j]] += v;
            }
            count[problemOfSet[j]] += mag[j].length;
        }
        for (int j = 0; j < sets.size(); j++) {
            double mean = sum[problemOfSet[j]] / count[problemOfSet[j]];
            for (int i = 0; i < mag[j].length; i++) {
                mag[j][i] = mean > 0 ? (float) (mag[j][i] / mean) : 1f;
            }
        }
        return mag;
    }

    /** Whether the scores' per-step work runs on the host ({@link HostScoreStep}) rather than on tensors. */
    public boolean scoreStepOnHost() {
        return host != null;
    }

    public double epsilon() {
        return temperature.value();
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The soft mask of set j, created in {@code manager}; with gradients to the scores when grad mode is on. */
    private NDArray softMask(NDManager manager, int j) {
        if (host != null) {
            return host.mask(manager, j, problems.get(problemOfSet[j]).tau, inverseEpsilon(), boostHost[j]);
        }
        NDArray invEps = manager.full(new Shape(), inverseEpsilon());
        // engine-owned constants only on the autograd path (engine trap 1); step-owned first operand (engine trap 2)
        return ai.djl.nn.Activation.sigmoid(centred(manager, j).mul(invEps));
    }

    /**
     * The soft masks {@link #beforeForward} installs, created in {@code step}: functions of the scores on the graph,
     * or on the host path the graph's leaves (computed from the scores, which then need no gradient of their own).
     */
    NDArray[] softMasks(NDManager step) {
        NDArray[] out = new NDArray[sets.size()];
        for (int j = 0; j < sets.size(); j++) {
            out[j] = softMask(step, j);
            if (host != null) {
                out[j].setRequiresGradient(true);
            }
        }
        return out;
    }

    /** 1/ε as the soft mask uses it (a float). */
    private float inverseEpsilon() {
        return (float) (1.0 / temperature.value());
    }

    /**
     * The scores' gradients of this step (after the backward pass through {@code masks}, this step's soft masks),
     * in {@code step}: as autograd left them when τ is {@link PruneConfig.TauGradient#FIXED fixed}, with τ's own
     * dependence on the scores added when it is {@link PruneConfig.TauGradient#IMPLICIT implicit}.
     */
    NDArray[] scoreGradients(NDManager step, NDArray[] masks) {
        if (host != null) {
            host.gradients(masks, inverseEpsilon(), implicitTau(), false, boostHost);
            NDArray[] g = new NDArray[sets.size()];
            for (int j = 0; j < sets.size(); j++) {
                g[j] = step.create(host.gradient(j), sets.get(j).shape());
            }
            return g;
        }
        return scoreGradients(step, implicitTau() ? slope(step, masks) : null);
    }

    private NDArray[] scoreGradients(NDManager step, Slope slope) {
        NDArray[] g = new NDArray[sets.size()];
        for (int j = 0; j < sets.size(); j++) {
            g[j] = scores[j].getGradient();
            g[j].attach(step);
        }
        if (slope != null) {
            addImplicitTau(step, slope, g);
        }
        return g;
    }

    private boolean implicitTau() {
        return config.tauGradient() == PruneConfig.TauGradient.IMPLICIT;
    }

    /**
     * The budget's slope at this step's soft masks: per set c·w with w = m(1 − m) (∂(c·m)/∂s times ε), and per
     * problem its sum. What both the implicit gradient and τ's predictor for the score update read.
     */
    private record Slope(NDArray[] perSet, NDArray[] total) {}

    private Slope slope(NDManager step, NDArray[] masks) {
        NDArray one = step.full(new Shape(), 1f);
        NDArray[] cw = new NDArray[sets.size()];
        NDArray[] total = new NDArray[problems.size()];
        for (int q = 0; q < problems.size(); q++) {
            for (int j : problems.get(q).sets()) {
                // in place where the array is this method's own: each fresh array is a pass that allocates
                NDArray m = masks[j].stopGradient();
                NDArray w = one.sub(m).muli(m);
                cw[j] = costs[j] != null ? w.muli(costs[j])
                        : uniformCost[j] == 1 ? w : w.muli(step.full(new Shape(), (float) uniformCost[j]));
                total[q] = total[q] == null ? cw[j].sum() : total[q].add(cw[j].sum());
            }
        }
        return new Slope(cw, total);
    }

    /**
     * τ solves Σ c·m(s, τ) = ρ·C, so dτ/ds_i = c_i·w_i / Σ c·w, and since ∂m/∂τ = −∂m/∂s the loss's full gradient
     * is g_i − (Σ_k g_k)·c_i·w_i / Σ c·w, g the gradient with τ held fixed: per problem, the share of the summed
     * gradient that would only move τ is taken out, in proportion to each unit's slope and cost. With τ fixed, a
     * pull every unit shares (every residual block's gate "wants up") moves each score alone and τ follows them all
     * (docs/benchmarks.md §12). A correction of the gradient, not a term in the graph: no backward pass of its own
     * (on the mlp's 266,200 scores each elementwise pass costs about 0.5 ms, §12).
     */
    private void addImplicitTau(NDManager step, Slope slope, NDArray[] g) {
        for (int q = 0; q < problems.size(); q++) {
            int[] js = problems.get(q).sets();
            NDArray sumG = null;
            for (int j : js) {
                sumG = sumG == null ? g[j].sum() : sumG.add(g[j].sum());
            }
            // every mask hard (w = 0 everywhere): τ is not a function of the scores any more, nothing to add
            NDArray shift = sumG.div(slope.total()[q].add(step.full(new Shape(), 1e-30f)));
            for (int j : js) {
                // in place: g[j] is this step's gradient, read by the score update next and by nothing after it
                g[j].subi(slope.perSet()[j].mul(shift));
            }
        }
    }

    /** Per problem Σ c·w·s over its sets' current scores, in {@code step} (for {@link #followScores}). */
    private NDArray[] slopeWeightedScores(Slope slope) {
        NDArray[] out = new NDArray[problems.size()];
        for (int q = 0; q < problems.size(); q++) {
            for (int j : problems.get(q).sets()) {
                // a dot product of flattened views: no array as large as the scores (each such array is a pass,
                // docs/benchmarks.md §12); the scores' view goes to the step's manager (engine trap 2)
                NDArray cw = slope.perSet()[j].reshape(-1);
                NDArray s = scores[j].reshape(-1);
                s.attach(cw.getManager());
                NDArray part = cw.dot(s);
                out[q] = out[q] == null ? part : out[q].add(part);
            }
        }
        return out;
    }

    /**
     * τ follows the scores' update as the budget moves it, to first order: by Σ c·w·Δs / Σ c·w, the same dτ/ds
     * the implicit gradient uses (a predictor, like {@link #followTemperature}; the Sinkhorn iteration corrects
     * what remains). The one Sinkhorn iteration alone assumes every unit's slope is K(1 − K), so once most masks
     * are sharp it corrects a small part of each step's move: with the implicit gradient the scores spread rather
     * than all rising together, and without this the soft kept share crept 19% over the budget within 48 steps
     * of a fast anneal (lenet5 at 0.95, DtpEngineTest's floor test).
     */
    private void followScores(NDArray[] before, NDArray[] after, Slope slope) {
        NDList parts = new NDList();
        for (int q = 0; q < problems.size(); q++) {
            parts.add(after[q].sub(before[q]));
            parts.add(slope.total()[q]);
        }
        float[] v = NDArrays.stack(parts).toFloatArray();
        for (int q = 0; q < problems.size(); q++) {
            if (v[2 * q + 1] > 0) {
                problems.get(q).tau += v[2 * q] / v[2 * q + 1];
            }
        }
    }

    /** s − τ for set j, with the floor's boost: the argument of the soft mask, times 1/ε. */
    private NDArray centred(NDManager manager, int j) {
        NDArray negTau = manager.full(new Shape(), (float) -problems.get(problemOfSet[j]).tau);
        NDArray c = negTau.add(scores[j]);
        return boost[j] == null ? c : c.add(boost[j]);
    }

    /** A host copy of set j's scores with its floor's boost added (what its soft mask is a function of). */
    private float[] boosted(float[] s, int j) {
        if (boostHost[j] != null) {
            for (int i = 0; i < s.length; i++) {
                s[i] += boostHost[j][i];
            }
        }
        return s;
    }

    /**
     * Per-layer floors inside the transport problem, not only at hardening: the hard selection keeps each set's
     * {@code floorUnits} best-scored units first and spends the rest of the budget in score order
     * ({@link Problem#select}), so the soft plan does the same: those units get a boost B larger than any score
     * difference plus many temperatures, their masks are 1, and the transport spends the remaining mass on the
     * rest. Without it the scores learned an allocation the floors then overrode: lenet5 at 0.95 with floors lost
     * 30–34 points at hardening, resnet20 at 70% parameters 67 (docs/benchmarks.md §11). Recomputed at the
     * statistics steps (the best-scored units move slowly) and saved with the run's state.
     */
    private void refreshFloors() {
        if (Arrays.stream(floorUnits).allMatch(f -> f == 0)) {
            return;
        }
        float[][] s = scoresSnapshot();
        for (Problem p : problems) {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (int j : p.sets()) {
                for (float v : s[j]) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            float b = (float) ((hi - lo) + 1000 * temperature.value());
            for (int j : p.sets()) {
                if (floorUnits[j] == 0) {
                    continue;
                }
                float[] add = new float[s[j].length];
                int[] top = TopK.order(s[j]);
                for (int q = 0; q < Math.min(floorUnits[j], top.length); q++) {
                    add[top[q]] = b;
                }
                setBoost(j, add);
            }
        }
    }

    private void setBoost(int j, float[] add) {
        if (boost[j] != null) {
            boost[j].close();
        }
        boostHost[j] = add;
        boost[j] = manager.create(add, sets.get(j).shape());
    }

    @Override
    public void beforeForward(NDManager step, int globalStep) {
        masks = softMasks(step);
        for (int j = 0; j < sets.size(); j++) {
            sets.get(j).installMask(masks[j]);
        }
    }

    @Override
    public void beforeEvaluation(NDManager evaluation) {
        for (int j = 0; j < sets.size(); j++) {
            sets.get(j).installMask(softMask(evaluation, j));
        }
    }

    @Override
    public void afterUpdate(NDManager step, int globalStep) {
        int done = globalStep + 1;
        stepsSinceStats++;
        boolean stats = done % statsInterval == 0 || done == totalSteps;
        double[][] sums = host != null ? hostUpdate(stats) : tensorUpdate(step, stats);
        // one Sinkhorn iteration per problem (or a converged solve for the ablation)
        if (config.sinkhornIterations() == 0) {
            solveConverged();
        } else {
            sinkhornStep(sums[0]);
            for (int it = 1; it < config.sinkhornIterations(); it++) {
                NDArray[] fresh = new NDArray[sets.size()];
                for (int j = 0; j < sets.size(); j++) {
                    fresh[j] = softMask(step, j);
                }
                sinkhornStep(reduce(step, fresh, false)[0]);
            }
        }
        double sharpness = Double.NaN;
        if (stats) {
            double sharp = 0, units = 0;
            for (int j = 0; j < sets.size(); j++) {
                sharp += sums[1][j];
                units += sets.get(j).size();
            }
            sharpness = sharp / units;
            lastSharpness = sharpness;
        }
        double oldEps = temperature.value();
        temperature.update(done, sharpness, stepsSinceStats);
        if (stats) {
            followTemperature(oldEps, temperature.value(), sums);
        }
        if (stats) {
            stepsSinceStats = 0;
            refreshFloors();
            retarget();
            emitProgress(done, sums);
        }
        if (done % histogramInterval == 0 || done == totalSteps) {
            emitHistograms(done);
        }
    }

    /** The scores' step on tensors; returns {@link #reduce}'s sums of this step's masks. */
    private double[][] tensorUpdate(NDManager step, boolean stats) {
        Slope slope = implicitTau() ? slope(step, masks) : null;
        NDArray[] g = scoreGradients(step, slope);
        NDArray[] before = slope == null ? null : slopeWeightedScores(slope);
        for (int j = 0; j < sets.size(); j++) {
            scoreOptimizer.update(scoreIds[j], scores[j], g[j]);
        }
        if (slope != null) {
            followScores(before, slopeWeightedScores(slope), slope);
        }
        return reduce(step, masks, stats);
    }

    /** The same step on the host ({@link HostScoreStep}): gradient, correction, Adam, τ's predictor, the sums. */
    private double[][] hostUpdate(boolean stats) {
        double[] slopeTotal = host.gradients(masks, inverseEpsilon(), implicitTau(), stats, boostHost);
        double[] moved = host.update(scoreOptimizer, scoreIds, stats);
        if (implicitTau()) {
            // followScores' predictor, from sums the host took in double (the tensor path's are float32 tensors)
            for (int q = 0; q < problems.size(); q++) {
                if ((float) slopeTotal[q] > 0) {
                    problems.get(q).tau += moved[q] / slopeTotal[q];
                }
            }
        }
        double[] tauOfSet = new double[sets.size()];
        for (int j = 0; j < sets.size(); j++) {
            tauOfSet[j] = problems.get(problemOfSet[j]).tau;
        }
        return host.sums(stats, tauOfSet);
    }

    /**
     * Per set: [0] Σ c·m (kept cost under the soft mask), and with stats [1] the number of sharp units
     * (m < 0.01 or m > 0.99), [2] the number with m > 0.5, [3] Σ c·m(1−m) and [4] Σ c·m(1−m)(s−τ) (what the
     * temperature predictor needs). One transfer to the host for all of them.
     */
    private double[][] reduce(NDManager step, NDArray[] m, boolean stats) {
        NDList parts = new NDList();
        NDArray half = step.full(new Shape(), 0.5f);
        NDArray one = step.full(new Shape(), 1f);
        for (int j = 0; j < sets.size(); j++) {
            NDArray kept = costs[j] == null ? m[j].sum() : m[j].mul(costs[j]).sum();
            parts.add(kept.toType(DataType.FLOAT32, false));
            if (stats) {
                NDArray centred = m[j].sub(half).abs();
                parts.add(centred.gt(0.49).sum().toType(DataType.FLOAT32, false));
                parts.add(m[j].gt(0.5).sum().toType(DataType.FLOAT32, false));
                NDArray w = one.sub(m[j]).mul(m[j]);
                if (costs[j] != null) {
                    w = w.mul(costs[j]);
                }
                parts.add(w.sum().toType(DataType.FLOAT32, false));
                parts.add(centred(step, j).mul(w).sum().toType(DataType.FLOAT32, false));
            }
        }
        float[] v = NDArrays.stack(parts).toFloatArray();
        int per = stats ? 5 : 1;
        double[][] out = new double[5][sets.size()];
        for (int j = 0; j < sets.size(); j++) {
            double scale = costs[j] == null ? uniformCost[j] : 1;
            out[0][j] = v[j * per] * scale;
            if (stats) {
                out[1][j] = v[j * per + 1];
                out[2][j] = v[j * per + 2];
                out[3][j] = v[j * per + 3] * scale;
                out[4][j] = v[j * per + 4] * scale;
            }
        }
        return out;
    }

    /**
     * Keeps the plan on the budget when ε changes: to first order the solution moves by
     * dτ = −(dε/ε)·Σw(s−τ)/Σw with w = c·m(1−m) (implicit differentiation of K(τ,ε) = ρ). A predictor only:
     * the Sinkhorn iteration of the next step corrects what remains.
     */
    private void followTemperature(double oldEps, double newEps, double[][] sums) {
        if (newEps == oldEps) {
            return;
        }
        for (Problem p : problems) {
            double a = 0, b = 0;
            for (int j : p.sets()) {
                b += sums[3][j];
                a += sums[4][j];
            }
            if (b > 0) {
                p.tau -= (newEps - oldEps) / oldEps * a / b;
            }
        }
    }

    /**
     * Channels under a parameter or FLOP budget: the plan's marginals use each channel's full-width cost, which
     * overstates what removing adjacent channels saves. Re-target each problem's kept share to the linear share of
     * what the exact selection would keep now, so the soft masks converge to the set hardening will pick.
     */
    private void retarget() {
        if (units.additive(config.budget())) {
            return;
        }
        boolean[][] keep = units.select(problems, Arrays.asList(scoresSnapshot()), config, config.keptFraction());
        double[] share = Selection.linearShare(problems, keep);
        for (int q = 0; q < problems.size(); q++) {
            problems.get(q).setRho(Math.min(1 - 1e-6, Math.max(1e-6, share[q])));
        }
        // A new target is a jump the single Sinkhorn iteration follows only slowly once the masks are sharp
        // (its contraction factor tends to 1); channel problems are small, so solve them outright.
        solveConverged();
    }

    private void sinkhornStep(double[] keptCost) {
        for (Problem p : problems) {
            if (p.units() <= SMALL_PROBLEM) {
                solveConverged(p);
                continue;
            }
            double k = 0;
            for (int j : p.sets()) {
                k += keptCost[j];
            }
            p.tau = TwoPointTransport.sinkhornStep(p.tau, k / p.totalCost(), p.rho(), temperature.value());
        }
    }

    /** Solves every problem to convergence (at the start, and per step in the ablation). */
    private void solveConverged() {
        for (Problem p : problems) {
            solveConverged(p);
        }
    }

    private void solveConverged(Problem p) {
        {
            int n = p.units();
            float[] all = new float[n];
            double[] mu = new double[n];
            int off = 0;
            int[] idx = p.sets();
            for (int k = 0; k < idx.length; k++) {
                float[] s = boosted(scores[idx[k]].toFloatArray(), idx[k]);
                System.arraycopy(s, 0, all, off, s.length);
                double[] c = p.costs(k);
                for (int i = 0; i < s.length; i++) {
                    mu[off + i] = c[i] / p.totalCost();
                }
                off += s.length;
            }
            p.tau = TwoPointTransport.solve(all, p.uniformCosts() ? null : mu, p.rho(), temperature.value(), 1e-12)
                    .tau();
        }
    }

    private void emitProgress(int done, double[][] sums) {
        double kept = 0, total = 0;
        List<Double> soft = new ArrayList<>(), hard = new ArrayList<>(), taus = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < sets.size(); j++) {
            names.add(sets.get(j).name());
            hard.add(sums[2][j] / sets.get(j).size());
            double setCost = costs[j] == null ? uniformCost[j] * sets.get(j).size() : 0;
            if (costs[j] != null) {
                for (double c : problems.get(problemOfSet[j]).costs(indexIn(problems.get(problemOfSet[j]), j))) {
                    setCost += c;
                }
            }
            soft.add(sums[0][j] / setCost);
            kept += sums[0][j];
            total += setCost;
        }
        for (Problem p : problems) {
            taus.add(p.tau);
        }
        double target = 0, all = 0;
        for (Problem p : problems) {
            target += p.rho() * p.totalCost();
            all += p.totalCost();
        }
        events.accept(new RunEvent.Prune("prune", done, totalSteps, temperature.value(), lastSharpness,
                temperature.targetSharpness(done), kept / total, target / all, taus, names, soft, hard));
    }

    private void emitHistograms(int done) {
        for (int j = 0; j < sets.size(); j++) {
            float[] s = scores[j].toFloatArray();
            float[] eff = boosted(s.clone(), j);
            double tau = problems.get(problemOfSet[j]).tau;
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (float v : s) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (!(hi > lo)) {
                hi = lo + 1e-6f;
            }
            int[] counts = new int[HISTOGRAM_BINS], kept = new int[HISTOGRAM_BINS];
            double scale = HISTOGRAM_BINS / (double) (hi - lo);
            for (int i = 0; i < s.length; i++) {
                int b = Math.min(HISTOGRAM_BINS - 1, (int) ((s[i] - lo) * scale));
                counts[b]++;
                if (eff[i] > tau) {
                    kept[b]++;
                }
            }
            events.accept(new RunEvent.Histogram(done, sets.get(j).name(), lo, hi, counts, kept, tau,
                    temperature.value()));
            double eps = temperature.value();
            events.accept(new RunEvent.Mask(done, sets.get(j).name(), sets.get(j).shape().getShape(),
                    RunEvent.Mask.Values.lazy(() -> softMaskValues(eff, tau, eps)), false));
        }
    }

    /** σ((s − τ)/ε) on the host, from scores already copied there for the histogram (in place: s is a copy). */
    static float[] softMaskValues(float[] s, double tau, double epsilon) {
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) TwoPointTransport.mask(s[i], tau, epsilon);
        }
        return s;
    }

    /** Sharpness of the current soft masks over all units (exact, computed now). */
    public double sharpness(NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            NDArray[] ms = new NDArray[sets.size()];
            for (int j = 0; j < sets.size(); j++) {
                ms[j] = softMask(m, j);
            }
            double[][] r = reduce(m, ms, true);
            double sharp = 0, units = 0;
            for (int j = 0; j < sets.size(); j++) {
                sharp += r[1][j];
                units += sets.get(j).size();
            }
            return sharp / units;
        }
    }

    /** Copies of the current scores, per set. */
    public float[][] scoresSnapshot() {
        float[][] out = new float[scores.length][];
        for (int j = 0; j < scores.length; j++) {
            out[j] = scores[j].toFloatArray();
        }
        return out;
    }

    /** The converged plan's hard selection (exact budget), ranked by the learned scores; soft masks removed. */
    public boolean[][] harden() {
        List<float[]> sc = new ArrayList<>();
        for (NDArray s : scores) {
            sc.add(s.toFloatArray());
        }
        for (UnitSet u : sets) {
            u.clearMask();
        }
        return units.select(problems, sc, config, config.keptFraction());
    }

    /**
     * Everything that moves during the prune phase: the scores, their Adam moments and update counts, τ and the kept
     * share ρ of every transport problem, the temperature controller, and the sharpness bookkeeping. Restored, the
     * next step computes exactly what it would have without the interruption.
     */
    @Override
    public void save(TrainState out) {
        for (int j = 0; j < scores.length; j++) {
            out.put("dtp.score." + j, scores[j]);
        }
        scoreOptimizer.save(out, "dtp.adam.", id -> id);
        double[] tau = new double[problems.size()], rho = new double[problems.size()];
        for (int q = 0; q < tau.length; q++) {
            tau[q] = problems.get(q).tau;
            rho[q] = problems.get(q).rho();
        }
        out.put("dtp.tau", tau);
        out.put("dtp.rho", rho);
        out.put("dtp.epsilon", temperature.value());
        out.put("dtp.startSharpness", temperature.startSharpness());
        out.put("dtp.stepsSinceStats", stepsSinceStats);
        out.put("dtp.lastSharpness", lastSharpness);
        for (int j = 0; j < boost.length; j++) {
            if (boost[j] != null) {
                out.put("dtp.floor." + j, boost[j]);
            }
        }
    }

    @Override
    public void restore(TrainState in) {
        for (int j = 0; j < scores.length; j++) {
            NDArray s = in.array("dtp.score." + j, manager);
            if (!s.getShape().equals(scores[j].getShape())) {
                throw new IllegalStateException("checkpoint scores of " + sets.get(j).name() + " have shape "
                        + s.getShape() + ", expected " + scores[j].getShape());
            }
            scores[j].close();
            scores[j] = s;
            scores[j].setRequiresGradient(host == null);
        }
        if (host != null) {
            host.reload(scores);
        }
        java.util.Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String id : scoreIds) {
            ids.put(id, id);
        }
        scoreOptimizer.restore(in, "dtp.adam.", ids, manager);
        double[] tau = in.getDoubles("dtp.tau"), rho = in.getDoubles("dtp.rho");
        if (tau.length != problems.size() || rho.length != problems.size()) {
            throw new IllegalStateException("checkpoint has " + tau.length + " transport problems, the run "
                    + problems.size());
        }
        for (int q = 0; q < tau.length; q++) {
            problems.get(q).tau = tau[q];
            problems.get(q).setRho(rho[q]);
        }
        temperature.restore(in.getDouble("dtp.epsilon"), in.getDouble("dtp.startSharpness"));
        stepsSinceStats = in.getInt("dtp.stepsSinceStats");
        lastSharpness = in.getDouble("dtp.lastSharpness");
        boolean saved = false;
        for (int j = 0; j < boost.length; j++) {
            if (in.has("dtp.floor." + j)) {
                try (NDArray b = in.array("dtp.floor." + j, manager)) {
                    setBoost(j, b.toFloatArray());
                }
                saved = true;
            }
        }
        if (!saved) {
            refreshFloors();
        }
    }

    /** Releases the score tensors. */
    public void close() {
        scoreOptimizer.close();
        if (host != null) {
            host.close();
        }
        for (NDArray s : scores) {
            s.close();
        }
        for (NDArray c : costs) {
            if (c != null) {
                c.close();
            }
        }
        for (NDArray b : boost) {
            if (b != null) {
                b.close();
            }
        }
    }
}
