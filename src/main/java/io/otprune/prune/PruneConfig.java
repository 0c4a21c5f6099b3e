package io.otprune.prune;

import java.util.Locale;

/**
 * What a pruning run does. Written to run.json (as part of the run's config), so a run can be reproduced.
 *
 * @param method            dtp (default), gmp, magnitude or random
 * @param granularity       unstructured (weights) or structured (channels)
 * @param budget            count, params or flops: the measure in which {@code sparsity} is meant
 * @param scope             global (one transport problem over the model) or layer (one per layer, same ratio)
 * @param sparsity          fraction of the budget's total to remove, in [0, 1)
 * @param temperature       auto (sharpness-driven, default) or schedule (exponential ε₀ → ε₀/1000)
 * @param eps0              initial temperature in units of the score spread (0: default 0.5)
 * @param sinkhornIterations transport iterations per training step: 1 (the method) or 0 for a converged solve
 * @param scoreLearningRate Adam learning rate of the importance scores
 * @param minChannels       structured pruning keeps at least this many channels in every layer (no layer cut off)
 * @param latencyBatch      depth pruning under a latency budget: the batch size its block latencies are measured at
 */
public record PruneConfig(Method method, Granularity granularity, Budget budget, Scope scope, double sparsity,
        TemperatureMode temperature, double eps0, int sinkhornIterations, double scoreLearningRate, int minChannels,
        int latencyBatch) {

    /**
     * dtp (the product's method), the comparison baselines gmp, magnitude and random, egp (activation-entropy guided
     * unstructured pruning, iterated) and cpot (channels ranked by their distance to the layer's Wasserstein
     * barycenter; cpot-merge folds each pruned channel into its nearest kept one instead of dropping it).
     */
    public enum Method { DTP, GMP, MAGNITUDE, RANDOM, EGP, CPOT, CPOT_MERGE }

    /** Weights, channels, or residual blocks (depth). */
    public enum Granularity { UNSTRUCTURED, STRUCTURED, DEPTH }

    /** Latency (measured per residual block at {@code latencyBatch}) is for depth units only. */
    public enum Budget { COUNT, PARAMS, FLOPS, LATENCY }

    public enum Scope { GLOBAL, LAYER }

    public enum TemperatureMode { AUTO, SCHEDULE }

    public PruneConfig {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        }
        if (eps0 < 0 || Double.isNaN(eps0)) {
            throw new IllegalArgumentException("eps0 must be positive, got " + eps0);
        }
        if (sinkhornIterations < 0) {
            throw new IllegalArgumentException("sinkhorn iterations must be >= 0 (0 = converged)");
        }
        if (minChannels < 0) {
            throw new IllegalArgumentException("the channel floor must be >= 0, got " + minChannels);
        }
        if (latencyBatch < 1) {
            throw new IllegalArgumentException("the latency batch size must be >= 1, got " + latencyBatch);
        }
        if (budget == Budget.LATENCY && granularity != Granularity.DEPTH) {
            throw new IllegalArgumentException("a latency budget is measured per residual block: use it with "
                    + "--granularity depth");
        }
        if (method == Method.EGP && granularity != Granularity.UNSTRUCTURED) {
            throw new IllegalArgumentException("egp prunes weights: use it with --granularity unstructured");
        }
        if ((method == Method.CPOT || method == Method.CPOT_MERGE) && granularity != Granularity.STRUCTURED) {
            throw new IllegalArgumentException("cpot ranks channels: use it with --granularity structured");
        }
    }

    /** With the default latency batch size of 1. */
    public PruneConfig(Method method, Granularity granularity, Budget budget, Scope scope, double sparsity,
            TemperatureMode temperature, double eps0, int sinkhornIterations, double scoreLearningRate,
            int minChannels) {
        this(method, granularity, budget, scope, sparsity, temperature, eps0, sinkhornIterations, scoreLearningRate,
                minChannels, 1);
    }

    /** With the default floor of one channel per layer. */
    public PruneConfig(Method method, Granularity granularity, Budget budget, Scope scope, double sparsity,
            TemperatureMode temperature, double eps0, int sinkhornIterations, double scoreLearningRate) {
        this(method, granularity, budget, scope, sparsity, temperature, eps0, sinkhornIterations, scoreLearningRate, 1);
    }

    public static PruneConfig defaults(Method method, Granularity granularity, double sparsity) {
        return new PruneConfig(method, granularity, Budget.COUNT, Scope.GLOBAL, sparsity, TemperatureMode.AUTO, 0,
                1, 0.05);
    }

    /** Fraction of the budget to keep. */
    public double keptFraction() {
        return 1 - sparsity;
    }

    public double initialEpsilon() {
        return eps0 > 0 ? eps0 : 0.5;
    }

    /** A config from the words the CLI takes (method, granularity, budget, scope, temperature), with clear errors. */
    public static PruneConfig fromWords(String method, String granularity, String budget, String scope,
            double sparsity, String temperature, double eps0, int sinkhornIterations, double scoreLearningRate,
            int minChannels) {
        return fromWords(method, granularity, budget, scope, sparsity, temperature, eps0, sinkhornIterations,
                scoreLearningRate, minChannels, 1);
    }

    public static PruneConfig fromWords(String method, String granularity, String budget, String scope,
            double sparsity, String temperature, double eps0, int sinkhornIterations, double scoreLearningRate,
            int minChannels, int latencyBatch) {
        return new PruneConfig(parse(Method.class, method, "method"), parse(Granularity.class, granularity,
                "granularity"), parse(Budget.class, budget, "budget"), parse(Scope.class, scope, "scope"), sparsity,
                parse(TemperatureMode.class, temperature, "temperature mode"), eps0, sinkhornIterations,
                scoreLearningRate, minChannels, latencyBatch);
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
                sb.append(sb.length() > 0 ? ", " : "").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException("unknown " + what + " '" + word + "': use " + sb);
        }
    }
}
