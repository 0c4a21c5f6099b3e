package io.otprune.prune;

import ai.djl.ndarray.NDManager;
import io.otprune.model.Network;
import io.otprune.train.RunEvent;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** Depth granularity: the residual blocks ({@link DepthUnits}); compaction removes the pruned blocks. */
final class BlockPruneUnits implements PruneUnits {
    private final Network net;
    private final DepthUnits units;

    BlockPruneUnits(Network net) {
        this.net = net;
        this.units = new DepthUnits(net);
    }

    @Override public List<UnitSet> sets() { return List.of(units); }

    @Override
    public void prepare(PruneConfig pc, NDManager manager, Consumer<RunEvent> events) {
        if (pc.budget() != PruneConfig.Budget.LATENCY) {
            return;
        }
        events.accept(new RunEvent.Phase("dense", "measuring each residual block's latency at batch "
                + pc.latencyBatch()));
        double[] ms = units.measureLatency(manager, pc.latencyBatch(), 31);
        events.accept(new RunEvent.Message("info", "block latencies (ms, median of 31): " + Arrays.toString(
                Arrays.stream(ms).mapToObj(v -> String.format("%.3f", v)).toArray())));
    }

    @Override
    public double[] prepared() {
        return units.latencyMs();
    }

    @Override
    public void restorePrepared(double[] measured) {
        units.setLatencyMs(measured);
    }

    @Override
    public boolean[][] select(List<Problem> problems, List<float[]> scores, PruneConfig pc, double rho) {
        return Problems.harden(problems, scores, 1);
    }

    @Override
    public Accounting account(boolean[][] keep, PruneConfig.Budget budget) {
        return Accounting.additive(List.of(units), keep, budget, net);
    }

    @Override
    public Compaction compact(boolean[][] keep, NDManager manager) {
        List<String> removed = units.removedBlocks(keep[0]);
        Network small = DepthUnits.removeBlocks(net, removed, manager);
        return new Compaction(small, String.format("blocks removed %s, conv/linear layers %d -> %d, depth %d -> %d",
                removed, net.layers().size(), small.layers().size(), net.depth(), small.depth()), removed);
    }
}
