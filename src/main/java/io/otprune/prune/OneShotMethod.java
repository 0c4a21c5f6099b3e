package io.otprune.prune;

import io.otprune.train.RunEvent;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Methods that prune at once by an importance criterion, then train with the mask fixed: magnitude, random, and
 * CPOT (distance to the group's Wasserstein barycenter; cpot-merge also merges each pruned channel into its nearest
 * kept ones).
 */
final class OneShotMethod implements PruneMethod {
    private final String description;
    private final BiFunction<List<UnitSet>, Long, List<float[]>> criterion;
    private final boolean merge;
    private final Predicate<PruneConfig.Granularity> supports;
    private final String suits;

    private OneShotMethod(String description, BiFunction<List<UnitSet>, Long, List<float[]>> criterion,
            boolean merge, Predicate<PruneConfig.Granularity> supports, String suits) {
        this.description = description;
        this.criterion = criterion;
        this.merge = merge;
        this.supports = supports;
        this.suits = suits;
    }

    static OneShotMethod magnitude() {
        return new OneShotMethod("one-shot magnitude", (sets, seed) -> Baselines.magnitudes(sets), false, g -> true,
                "prunes any unit");
    }

    static OneShotMethod random() {
        return new OneShotMethod("random", Baselines::random, false, g -> true, "prunes any unit");
    }

    static OneShotMethod cpot(boolean merge) {
        return new OneShotMethod(merge ? "CPOT with merging of pruned channels into kept ones"
                : "CPOT (distance to the layer's Wasserstein barycenter)", (sets, seed) -> Cpot.scores(sets), merge,
                g -> g == PruneConfig.Granularity.STRUCTURED, "ranks channels");
    }

    @Override public boolean supports(PruneConfig.Granularity g) { return supports.test(g); }
    @Override public String suits() { return suits; }
    @Override public boolean oneShot() { return true; }

    /** The criterion's hard selection (cpot-merge's merging, which changes weights, is left to {@link #prune}). */
    @Override
    public boolean[][] selectAtOnce(PruneUnits units, List<Problem> problems, PruneConfig pc, long seed) {
        return units.select(problems, criterion.apply(units.sets(), seed), pc, pc.keptFraction());
    }

    @Override
    public Outcome prune(Context ctx) {
        PruneConfig pc = ctx.config();
        ctx.events().accept(new RunEvent.Phase("prune", description + " pruning to " + pc.sparsity()
                + ", then training with the mask fixed"));
        double before = ctx.denseAccuracy();
        List<UnitSet> sets = ctx.units().sets();
        boolean[][] keep = selectAtOnce(ctx.units(), ctx.problems(), pc, ctx.seed());
        if (merge) {
            Cpot.merge(sets, keep);
        }
        return new Outcome(new HardMasks(sets, keep, ctx.manager()), before, 1.0, Double.NaN);
    }
}
