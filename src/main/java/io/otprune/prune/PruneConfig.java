package io.otprune.prune;

import java.util.Locale;

/**
 * What a pruning run does. Written to run.json (as part of the run's config), so a run can be reproduced.
 *
 * @param method            dtp (default), gmp, magnitude or random
 * @param granularity       unstructured (weights) or structured (channels)
 * @param budget            count, params or flops: the measure in which {@code sparsity} is meant
 * @param scope             global (one transport problem over the model) or layer (one per layer, same ratio)
 * @param sparsity          fraction of the budget's total to remove, in (0, 1)
 * @param temperature       auto (sharpness-driven, default) or schedule (exponential ε₀ → ε₀/1000)
 * @param eps0              initial temperature in units of the score spread (0: default 0.5)
 * @param sinkhornIterations transport iterations per training step: 1 (the method) or 0 for a converged solve
 * @param scoreLearningRate Adam learning rate of the importance scores
 * @param minChannels       structured pruning keeps at least this many channels in every layer (no layer cut off)
 * @param latencyBatch      depth pruning under a latency budget: the batch size its block latencies are measured at
 * @param minKept           per-unit-set floors: a unit set's name (a layer, or a channel group) → the least fraction
 *                          of its units the hard selection keeps, whatever the method (e.g. from a sensitivity scan,
 *                          {@code io.otprune.run.SensitivityScan}); empty for none. Absent in run.json files written
 *                          before it existed, which means none.
 * @param channelMultiple   structured pruning keeps each channel group's count at a multiple of this (or the whole
 *                          group): 8 or 16 lets runtimes use their blocked convolution kernels (ONNX Runtime's CPU
 *                          NCHWc layout needs multiples of 8 with AVX2, 16 with AVX-512); 1, the default, keeps the
 *                          budget to the channel. 0 (run.json files written before it existed) means 1.
 * @param scoreStep         how DTP's score optimizer sizes each score's step ({@link ScoreStep}); absent (null) in
 *                          run.json files written before it existed, which means {@code unit}, what those runs did
 *                          (the builder's default is {@link ScoreStep#defaultFor} the granularity).
 * @param tauGradient       whether DTP's score gradient sees the budget's threshold τ move with the scores
 *                          ({@link TauGradient}); absent (null) in run.json files written before it existed, which
 *                          means {@code fixed}, what those runs did (the builder's default is
 *                          {@link TauGradient#defaultFor} the granularity).
 */
public record PruneConfig(Method method, Granularity granularity, Budget budget, Scope scope, double sparsity,
        TemperatureMode temperature, double eps0, int sinkhornIterations, double scoreLearningRate, int minChannels,
        int latencyBatch, java.util.Map<String, Double> minKept, int channelMultiple, ScoreStep scoreStep,
        TauGradient tauGradient) {

    /**
     * dtp (the product's method), the comparison baselines gmp, magnitude and random, egp (activation-entropy guided
     * unstructured pruning, iterated) and cpot (channels ranked by their distance to the layer's Wasserstein
     * barycenter; cpot-merge folds each pruned channel into its nearest kept one instead of dropping it).
     */
    public enum Method { DTP, GMP, MAGNITUDE, RANDOM, EGP, CPOT, CPOT_MERGE }

    /**
     * How Adam sizes a score's step. {@code unit}: each score has its own second moment, so every score moves by
     * about the learning rate per step whatever the size of its gradient (Adam as usual). {@code set}: the scores of
     * one unit set share one second moment (the mean of their squared gradients), so within a set a score moves in
     * proportion to its gradient and the sizes of the gradients, not only their signs, rank the units.
     */
    public enum ScoreStep {
        UNIT, SET;

        /**
         * The default for a granularity, as measured (docs/benchmarks.md §12, session 17): set for channels
         * (vgg-small at 80% of the parameters: per-score Adam steps let the channels next to the classifier, whose
         * gradients keep one sign, take the budget, conv6 keeping 113–116 of 128 channels and conv1 2–5 of 32; with
         * the sizes of the gradients ranking each layer's channels the allocation is balanced), unit for weights
         * (session 18, at 0.98: set moves the budget into the largest layer and loses 1.0 point on lenet5, 1.8 on
         * the mlp) and blocks (set within the seed spread). The one place this rule lives.
         */
        public static ScoreStep defaultFor(Granularity g) {
            return g == Granularity.STRUCTURED ? SET : UNIT;
        }
    }

    /** What the CLI's {@code --score-step} shows when it is not given. */
    public static final String SCORE_STEP_DEFAULT_TEXT = "set for structured, unit for unstructured and depth";

    /**
     * The soft mask is σ((s − τ)/ε), with τ the threshold at which the plan keeps the budget (Σ c·m = ρ·C).
     * {@code implicit}: the scores' gradient differentiates through the budget constraint too
     * (dτ/ds_i = c_i·w_i / Σ c·w, w = m(1 − m)), so a pull every unit shares cancels and only the units'
     * differences move the scores. {@code fixed}: τ is a constant for autograd (the method as first built), so
     * that shared pull (every residual block's gate "wants up") moves every score alone and τ follows them all.
     * docs/design.md §1.
     */
    public enum TauGradient {
        FIXED, IMPLICIT;

        /**
         * The default for a granularity, as measured (docs/benchmarks.md §12): implicit for all three. Weights and
         * blocks since session 14 (resnet20 blocks at count 0.67 +0.71 points over fixed, mlp-300-100 at 0.98
         * +1.4); channels since session 23, 3 seeds in every measured cell: resnet20 at 90% of the parameters
         * +0.73 (and +0.49 over CPOT, which led τ fixed), vgg-small at 90% +0.43, 80% level on both, vgg-small at
         * 70% −0.15 (within the best other method's spread). Its cost-weighted correction makes the scores
         * cost-aware, where τ fixed left the selection blind to what a channel costs. The one place this rule lives.
         */
        public static TauGradient defaultFor(Granularity g) {
            return IMPLICIT;
        }
    }

    /** What the CLI's {@code --tau-gradient} shows when it is not given. */
    public static final String TAU_GRADIENT_DEFAULT_TEXT = "implicit";

    /** Weights, channels, or residual blocks (depth). */
    public enum Granularity { UNSTRUCTURED, STRUCTURED, DEPTH }

    /** Latency (measured per residual block at {@code latencyBatch}) is for depth units only. */
    public enum Budget {
        COUNT, PARAMS, FLOPS, LATENCY;

        /** Whether the budget can be measured on units of this granularity. */
        public boolean suits(Granularity g) {
            return this != LATENCY || g == Granularity.DEPTH;
        }
    }

    public enum Scope { GLOBAL, LAYER }

    public enum TemperatureMode { AUTO, SCHEDULE }

    public PruneConfig {
        if (method == null || granularity == null || budget == null || scope == null || temperature == null) {
            throw new IllegalArgumentException("method, granularity, budget, scope and temperature must be given");
        }
        if (!(sparsity > 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in (0, 1), got " + sparsity
                    + (sparsity == 0 ? " (0 prunes nothing: to fine-tune the dense model use 'otprune train')" : ""));
        }
        if (eps0 < 0 || Double.isNaN(eps0)) {
            throw new IllegalArgumentException("eps0 must be positive, got " + eps0);
        }
        if (sinkhornIterations < 0) {
            throw new IllegalArgumentException("sinkhorn iterations must be >= 0 (0 = converged)");
        }
        if (!(scoreLearningRate > 0)) {
            throw new IllegalArgumentException("the score learning rate must be positive, got " + scoreLearningRate);
        }
        if (minChannels < 0) {
            throw new IllegalArgumentException("the channel floor must be >= 0, got " + minChannels);
        }
        if (channelMultiple == 0) {
            channelMultiple = 1;
        }
        if (scoreStep == null) {
            scoreStep = ScoreStep.UNIT;
        }
        if (tauGradient == null) {
            tauGradient = TauGradient.FIXED;
        }
        if (channelMultiple < 1 || channelMultiple > 256) {
            throw new IllegalArgumentException("the channel multiple must be in 1..256, got " + channelMultiple);
        }
        if (channelMultiple > 1 && granularity != Granularity.STRUCTURED) {
            throw new IllegalArgumentException("a channel multiple rounds kept channel counts: use it with "
                    + "--granularity structured");
        }
        if (latencyBatch < 1) {
            throw new IllegalArgumentException("the latency batch size must be >= 1, got " + latencyBatch);
        }
        minKept = minKept == null ? java.util.Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(minKept));
        for (var e : minKept.entrySet()) {
            if (e.getValue() == null || !(e.getValue() >= 0 && e.getValue() <= 1)) {
                throw new IllegalArgumentException("the floor of " + e.getKey() + " must be a kept fraction in "
                        + "[0, 1], got " + e.getValue());
            }
        }
        if (!minKept.isEmpty() && granularity == Granularity.DEPTH) {
            throw new IllegalArgumentException("per-layer floors are for unstructured and structured pruning, not "
                    + "depth");
        }
        if (!budget.suits(granularity)) {
            throw new IllegalArgumentException("a latency budget is measured per residual block: use it with "
                    + "--granularity depth");
        }
        PruneMethod m = PruneMethod.of(method);
        if (!m.supports(granularity)) {
            throw new IllegalArgumentException(word(method) + " " + m.suits() + ": use it with --granularity "
                    + String.join(" or ", java.util.Arrays.stream(Granularity.values()).filter(m::supports)
                            .map(PruneConfig::word).toList()));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().method(method).granularity(granularity).budget(budget).scope(scope).sparsity(sparsity)
                .temperature(temperature).eps0(eps0).sinkhornIterations(sinkhornIterations)
                .scoreLearningRate(scoreLearningRate).minChannels(minChannels).latencyBatch(latencyBatch)
                .minKept(minKept).channelMultiple(channelMultiple).scoreStep(scoreStep).tauGradient(tauGradient);
    }

    /** The project's defaults: dtp, unstructured, count, global, sparsity 0.9, auto temperature, one iteration. */
    public static final class Builder {
        private Method method = Method.DTP;
        private Granularity granularity = Granularity.UNSTRUCTURED;
        private Budget budget = Budget.COUNT;
        private Scope scope = Scope.GLOBAL;
        private double sparsity = 0.9;
        private TemperatureMode temperature = TemperatureMode.AUTO;
        private double eps0 = 0;
        private int sinkhornIterations = 1;
        private double scoreLearningRate = 0.05;
        private int minChannels = 1;
        private int latencyBatch = 1;
        private java.util.Map<String, Double> minKept = java.util.Map.of();
        private int channelMultiple = 1;
        private ScoreStep scoreStep; // null: ScoreStep.defaultFor(granularity)
        private TauGradient tauGradient; // null: TauGradient.defaultFor(granularity)

        private Builder() {}

        public Builder method(Method v) { method = v; return this; }
        public Builder granularity(Granularity v) { granularity = v; return this; }
        public Builder budget(Budget v) { budget = v; return this; }
        public Builder scope(Scope v) { scope = v; return this; }
        public Builder sparsity(double v) { sparsity = v; return this; }
        public Builder temperature(TemperatureMode v) { temperature = v; return this; }
        public Builder eps0(double v) { eps0 = v; return this; }
        public Builder sinkhornIterations(int v) { sinkhornIterations = v; return this; }
        public Builder scoreLearningRate(double v) { scoreLearningRate = v; return this; }
        public Builder minChannels(int v) { minChannels = v; return this; }
        public Builder latencyBatch(int v) { latencyBatch = v; return this; }
        public Builder minKept(java.util.Map<String, Double> v) { minKept = v; return this; }
        public Builder channelMultiple(int v) { channelMultiple = v; return this; }
        public Builder scoreStep(ScoreStep v) { scoreStep = v; return this; }
        public Builder tauGradient(TauGradient v) { tauGradient = v; return this; }

        /** The same settings from the words the CLI takes ({@code dtp}, {@code per-layer}, …), with clear errors. */
        public Builder method(String w) { return method(parse(Method.class, w, "method")); }
        public Builder granularity(String w) { return granularity(parse(Granularity.class, w, "granularity")); }
        public Builder budget(String w) { return budget(parse(Budget.class, w, "budget")); }
        public Builder scope(String w) { return scope(parse(Scope.class, w, "scope")); }
        public Builder temperature(String w) { return temperature(parse(TemperatureMode.class, w, "temperature mode")); }
        /** A CLI word, or null for the granularity's default ({@link ScoreStep#defaultFor}). */
        public Builder scoreStep(String w) { return scoreStep(w == null ? null : parse(ScoreStep.class, w, "score step")); }
        /** A CLI word, or null for the granularity's default ({@link TauGradient#defaultFor}). */
        public Builder tauGradient(String w) { return tauGradient(w == null ? null : parse(TauGradient.class, w, "tau gradient")); }

        public PruneConfig build() {
            return new PruneConfig(method, granularity, budget, scope, sparsity, temperature, eps0,
                    sinkhornIterations, scoreLearningRate, minChannels, latencyBatch, minKept, channelMultiple,
                    scoreStep != null ? scoreStep : ScoreStep.defaultFor(granularity),
                    tauGradient != null ? tauGradient : TauGradient.defaultFor(granularity));
        }
    }

    /** The defaults with a method, granularity and sparsity. */
    public static PruneConfig defaults(Method method, Granularity granularity, double sparsity) {
        return builder().method(method).granularity(granularity).sparsity(sparsity).build();
    }

    /** An option value as the CLI writes it: {@code CPOT_MERGE} → {@code cpot-merge}. */
    public static String word(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * These settings as the method reads them: one that learns no scores ({@link PruneMethod#learnsScores}) never
     * reads the temperature, Sinkhorn, score-optimizer or τ-gradient settings, so they are the defaults here. Two runs
     * whose settings are equal this way are the same experiment (a sweep tabulates a gmp run made with
     * {@code --score-step unit} next to dtp runs made with {@code set}).
     */
    public PruneConfig asRead() {
        if (PruneMethod.of(method).learnsScores()) {
            return this;
        }
        PruneConfig d = builder().granularity(granularity).build();
        return toBuilder().temperature(d.temperature()).eps0(d.eps0()).sinkhornIterations(d.sinkhornIterations())
                .scoreLearningRate(d.scoreLearningRate()).scoreStep(d.scoreStep()).tauGradient(d.tauGradient()).build();
    }

    /** Fraction of the budget to keep. */
    public double keptFraction() {
        return 1 - sparsity;
    }

    public double initialEpsilon() {
        return eps0 > 0 ? eps0 : 0.5;
    }

    /**
     * Floors as the CLI writes them: {@code name=fraction} pairs joined by commas, in name order
     * ({@code conv1=0.5,fc1=0.3}); the inverse of {@link #parseFloors}.
     */
    public static String floorsWord(java.util.Map<String, Double> floors) {
        StringBuilder sb = new StringBuilder();
        for (var e : new java.util.TreeMap<>(floors).entrySet()) {
            sb.append(sb.length() > 0 ? "," : "").append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    /** Parses {@code name=fraction,name=fraction} (names may hold spaces; the last '=' of a pair splits it). */
    public static java.util.Map<String, Double> parseFloors(String text) {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a floor is layer=fraction, got '" + pair.trim() + "'");
            }
            String name = pair.substring(0, eq).trim();
            try {
                out.put(name, Double.parseDouble(pair.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the floor of " + name + " is not a number: '"
                        + pair.substring(eq + 1).trim() + "'");
            }
        }
        return out;
    }

    /** Parses an enum constant from a CLI word such as {@code per-layer} or {@code dtp}, with a clear error. */
    public static <E extends Enum<E>> E parse(Class<E> type, String word, String what) {
        String w = word.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (type == Scope.class && w.equals("PER_LAYER")) {
            w = "LAYER";
        }
        try {
            return Enum.valueOf(type, w);
        } catch (IllegalArgumentException e) {
            StringBuilder sb = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                sb.append(sb.length() > 0 ? ", " : "").append(word(c));
            }
            throw new IllegalArgumentException("unknown " + what + " '" + word + "': use " + sb);
        }
    }
}
