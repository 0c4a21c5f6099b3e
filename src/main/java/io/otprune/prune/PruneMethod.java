package io.otprune.prune;

import ai.djl.ndarray.NDManager;
import io.otprune.data.ImageSet;
import io.otprune.data.Normalization;
import io.otprune.model.Network;
import io.otprune.train.DivergenceException;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import io.otprune.train.TrainingLoop;
import java.util.List;
import java.util.function.Consumer;

/**
 * A way of pruning under a budget: it returns the hard masks (exactly at the budget) and what the summary needs.
 * The run around it ({@code io.otprune.run.PruneRun}) loads, evaluates, fine-tunes, compacts and summarises the same
 * way for every method. A new method is one new implementation and one line in {@link #of}; which granularities it
 * suits and whether it prunes at once are said here, for the CLI and the window alike.
 */
public interface PruneMethod {

    static PruneMethod of(PruneConfig.Method method) {
        return switch (method) {
            case DTP -> new DtpMethod();
            case GMP -> new GmpMethod();
            case EGP -> new EgpMethod();
            case MAGNITUDE -> OneShotMethod.magnitude();
            case RANDOM -> OneShotMethod.random();
            case CPOT -> OneShotMethod.cpot(false);
            case CPOT_MERGE -> OneShotMethod.cpot(true);
        };
    }

    /** Whether it can prune units of this granularity. */
    boolean supports(PruneConfig.Granularity granularity);

    /** What it prunes, in words, for messages ("prunes weights", "ranks channels"). */
    default String suits() {
        return "prunes any unit";
    }

    /**
     * Whether it learns importance scores under the transport budget (DTP). Only such a method reads the temperature,
     * Sinkhorn, score-optimizer and τ-gradient settings; for the others they change nothing
     * ({@link PruneConfig#asRead}).
     */
    default boolean learnsScores() {
        return false;
    }

    /**
     * Whether it prunes at once, before any training: its prune epochs then train with the mask fixed, so every
     * method trains for the same number of epochs.
     */
    boolean oneShot();

    /**
     * Methods that prune at once ({@link #oneShot()}): the hard masks their criterion selects for {@code problems}
     * alone, without training or touching the weights; the sets in no problem are null. A sensitivity scan
     * ({@code io.otprune.run.SensitivityScan}) prunes one layer at a time this way.
     */
    default boolean[][] selectAtOnce(PruneUnits units, List<Problem> problems, PruneConfig pc, long seed) {
        throw new UnsupportedOperationException(PruneConfig.word(pc.method()) + " does not prune at once");
    }

    /** Prunes: trains as it needs to through {@link Context#train} and returns the hard masks. */
    Outcome prune(Context ctx) throws RunCancelledException, DivergenceException;

    /**
     * After fine-tuning: the compact model, if any (by default the granularity's), and what else the summary reports.
     */
    default Finished finish(Context ctx, HardMasks hard) throws RunCancelledException {
        return new Finished(ctx.units().compact(hard.keep(), ctx.manager()), null);
    }

    /**
     * What pruning ended with: the hard masks, the accuracy just before they became hard, the mask sharpness and the
     * temperature at that moment (NaN where a method has none).
     */
    record Outcome(HardMasks hard, double accuracyBefore, double sharpness, double epsilonAtHardening) {}

    /** The compact model (or null) and, for egp, the activation entropy of every ReLU at the end. */
    record Finished(PruneUnits.Compaction compaction, List<ActivationEntropy.Report> entropy) {}

    /** What a method may use of the run it is in. */
    interface Context {
        Network net();

        NDManager manager();

        PruneUnits units();

        List<Problem> problems();

        PruneConfig config();

        int pruneEpochs();

        /** Optimizer steps of the prune phase (epochs × batches per epoch). */
        int pruneSteps();

        long seed();

        Consumer<RunEvent> events();

        RunControl control();

        ImageSet trainSet();

        ImageSet testSet();

        Normalization normalization();

        /** Trains the weights for some epochs of the prune phase with a hook (the run's checkpointing added). */
        TrainingLoop.Result train(int epochs, TrainingLoop.StepHook hook) throws RunCancelledException,
                DivergenceException;

        /**
         * For methods that train the prune phase in several calls of {@link #train} with work of their own between
         * them (egp): the prune epochs a resumed run's checkpoint had finished (0 for a fresh run), counted as done
         * from now on; the method continues after them, with {@link #resumedMasks} in force and the checkpoint's
         * weights already loaded. Methods that train the phase in one call never call this: the call resumes.
         */
        default int skipResumedPruneEpochs() {
            return 0;
        }

        /** The hard masks in force when the resumed checkpoint was written, or null. */
        default boolean[][] resumedMasks() {
            return null;
        }

        /** Test accuracy of the dense model, measured when the run started. */
        double denseAccuracy();

        /** Test accuracy now, with whatever masks are installed (a hook's evaluation masks when given). */
        double testAccuracy(TrainingLoop.StepHook hook);
    }
}
