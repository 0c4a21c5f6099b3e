package io.otprune.prune;

import io.otprune.train.DivergenceException;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunEvent;

/** Gradual magnitude pruning (Zhu &amp; Gupta 2017): hard magnitude masks on a cubic schedule to the target. */
final class GmpMethod implements PruneMethod {
    @Override public boolean supports(PruneConfig.Granularity g) { return true; }
    @Override public boolean oneShot() { return false; }

    @Override
    public Outcome prune(Context ctx) throws RunCancelledException, DivergenceException {
        PruneConfig pc = ctx.config();
        ctx.events().accept(new RunEvent.Phase("prune", "gradual magnitude pruning to " + pc.sparsity()));
        Baselines.Gmp gmp = new Baselines.Gmp(ctx.units(), pc, ctx.manager(), ctx.pruneSteps());
        if (ctx.pruneEpochs() > 0) {
            ctx.train(ctx.pruneEpochs(), gmp);
        }
        double before = ctx.testAccuracy(null);
        if (gmp.masks() != null) {
            gmp.masks().close();
        }
        // the schedule ends exactly at the target; select again so a zero-epoch phase is handled too
        boolean[][] keep = ctx.units().select(ctx.problems(), Baselines.magnitudes(ctx.units().sets()), pc,
                pc.keptFraction());
        return new Outcome(new HardMasks(ctx.units().sets(), keep, ctx.manager()), before, 1.0, Double.NaN);
    }
}
