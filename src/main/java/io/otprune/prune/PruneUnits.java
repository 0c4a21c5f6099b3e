package io.otprune.prune;

import ai.djl.ndarray.NDManager;
import io.otprune.model.Network;
import io.otprune.train.RunEvent;
import java.util.List;
import java.util.function.Consumer;

/**
 * The prunable units of one network at one granularity, and everything that depends on what a unit is: the
 * selection that meets a budget exactly, the accounting of what a selection keeps, and the compact model. The rest of
 * the project works through this interface; a new granularity is one new implementation and one line in
 * {@link #of}.
 */
public interface PruneUnits {

    /** The units of {@code net} at a granularity (throws IllegalArgumentException when the network has none). */
    static PruneUnits of(Network net, PruneConfig.Granularity granularity) {
        return switch (granularity) {
            case UNSTRUCTURED -> new WeightPruneUnits(net);
            case STRUCTURED -> new ChannelPruneUnits(net);
            case DEPTH -> new BlockPruneUnits(net);
        };
    }

    /** The unit sets, each with one score and one mask tensor. */
    List<UnitSet> sets();

    /** Measures what a budget needs before the run (block latencies); most budgets need nothing. */
    default void prepare(PruneConfig pc, NDManager manager, Consumer<RunEvent> events) {}

    /** What {@link #prepare} measured (block latencies), for a checkpoint; null when nothing was measured. */
    default double[] prepared() {
        return null;
    }

    /** Puts back what {@link #prepare} measured, instead of measuring again (a resumed run). */
    default void restorePrepared(double[] measured) {}

    /** The hard selection: exactly round(ρ·n) units for a count, within one unit's cost of ρ for other budgets. */
    boolean[][] select(List<Problem> problems, List<float[]> scores, PruneConfig pc, double rho);

    /** Whether the units' costs in this budget add up (false: the selection counts the compact model exactly). */
    default boolean additive(PruneConfig.Budget budget) {
        return true;
    }

    /** What a selection keeps, in every measure. */
    Accounting account(boolean[][] keep, PruneConfig.Budget budget);

    /** The smaller network a selection gives (the masked network already hard-masked), or null if none is smaller. */
    default Compaction compact(boolean[][] keep, NDManager manager) {
        return null;
    }

    /** A compact network and what changed, in words and as the names of removed blocks. */
    record Compaction(Network network, String change, List<String> removed) {}
}
