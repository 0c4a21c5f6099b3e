package io.otprune.prune;

import io.otprune.train.DivergenceException;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunEvent;

/**
 * Differentiable Transportation Pruning: scores and weights train together under soft masks from the entropic
 * transport plan ({@link DtpEngine}); the converged plan's hard selection keeps exactly the budget.
 */
final class DtpMethod implements PruneMethod {
    @Override public boolean supports(PruneConfig.Granularity g) { return true; }
    @Override public boolean oneShot() { return false; }
    @Override public boolean learnsScores() { return true; }

    @Override
    public Outcome prune(Context ctx) throws RunCancelledException, DivergenceException {
        PruneConfig pc = ctx.config();
        DtpEngine engine = new DtpEngine(ctx.units(), ctx.problems(), pc, ctx.manager(), ctx.pruneSteps(),
                ctx.events());
        try {
            ctx.events().accept(new RunEvent.Phase("prune", String.format(
                    "DTP, %d unit sets, %d transport problem(s), target sparsity %.4f (%s, %s), ε₀ %.3g, %s, "
                            + "score step %s",
                    ctx.units().sets().size(), ctx.problems().size(), pc.sparsity(), PruneConfig.word(pc.budget()),
                    PruneConfig.word(pc.scope()), pc.initialEpsilon(), PruneConfig.word(pc.temperature()),
                    engine.scoreStepOnHost() ? "on the host" : "on tensors")));
            if (ctx.pruneEpochs() > 0) {
                ctx.train(ctx.pruneEpochs(), engine);
            }
            double before = ctx.testAccuracy(engine);
            double sharpness = engine.sharpness(ctx.manager());
            double eps = engine.epsilon();
            return new Outcome(new HardMasks(ctx.units().sets(), engine.harden(), ctx.manager()), before, sharpness,
                    eps);
        } finally {
            engine.close();
        }
    }
}
