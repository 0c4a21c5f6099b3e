package io.otprune.prune;

import ai.djl.ndarray.NDManager;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Structured granularity: the channels of every prunable channel space of the traced graph ({@link ChannelGraph}).
 * Parameter and FLOP costs of channels do not add up (two adjacent channels share the weights between them), so the
 * selection and the accounting count the compact model exactly, and compaction builds it.
 */
final class ChannelPruneUnits implements PruneUnits {
    private final Network net;
    private final ChannelGraph graph;
    private final List<UnitSet> sets = new ArrayList<>();
    private final List<ChannelGraph.Space> spaces;

    ChannelPruneUnits(Network net) {
        this.net = net;
        this.graph = ChannelGraph.trace(net);
        this.spaces = graph.prunableSpaces();
        if (spaces.isEmpty()) {
            throw new IllegalArgumentException("this network has no channels that can be pruned (every channel "
                    + "reaches the input or the output, or a grouped convolution)");
        }
        for (ChannelGraph.Space s : spaces) {
            sets.add(new ChannelUnits(net, graph, s));
        }
    }

    @Override public List<UnitSet> sets() { return sets; }

    @Override
    public boolean additive(PruneConfig.Budget budget) {
        return budget == PruneConfig.Budget.COUNT;
    }

    @Override
    public boolean[][] select(List<Problem> problems, List<float[]> scores, PruneConfig pc, double rho) {
        return Selection.channels(graph, sets, spaces, problems, scores, pc, rho);
    }

    /** Exact counts of the compact model a selection gives; per layer, its output channels. */
    @Override
    public Accounting account(boolean[][] keep, PruneConfig.Budget budget) {
        Map<ChannelGraph.Space, Integer> counts = new IdentityHashMap<>();
        long units = 0, kept = 0;
        for (int j = 0; j < sets.size(); j++) {
            int k = 0;
            for (boolean b : keep[j]) {
                k += b ? 1 : 0;
            }
            counts.put(spaces.get(j), k);
            units += keep[j].length;
            kept += k;
        }
        long[] before = graph.countWith(new IdentityHashMap<>());
        long[] after = graph.countWith(counts);
        List<Accounting.Layer> layers = new ArrayList<>();
        for (PrunableLayer l : net.layers()) {
            ChannelGraph.Space out = graph.spaceOf(l.name());
            long[] full = graph.count(l, new IdentityHashMap<>());
            long[] now = graph.count(l, counts);
            layers.add(new Accounting.Layer(l.name(), l.outChannels(), counts.getOrDefault(out, l.outChannels()),
                    full[0], now[0], full[1], now[1]));
        }
        double unitSparsity = 1 - (double) kept / units;
        double paramSparsity = 1 - (double) after[0] / before[0];
        double flopSparsity = 1 - (double) after[1] / before[1];
        double achieved = switch (budget) {
            case COUNT -> unitSparsity;
            case PARAMS -> paramSparsity;
            case FLOPS -> flopSparsity;
            case LATENCY -> throw new IllegalArgumentException("a latency budget is for depth units");
        };
        return new Accounting(achieved, unitSparsity, paramSparsity, flopSparsity, layers, before[0], after[0],
                before[1], after[1], units, kept);
    }

    @Override
    public Compaction compact(boolean[][] keep, NDManager manager) {
        Network small = Compactor.compact(net, graph, Compactor.keptChannels(sets, keep), manager);
        List<String> widths = new ArrayList<>();
        for (int j = 0; j < sets.size(); j++) {
            widths.add(sets.get(j).name() + " " + sets.get(j).size() + "->" + small.findLayer(
                    spaces.get(j).producers().get(0).name()).map(PrunableLayer::outChannels).orElse(0));
        }
        return new Compaction(small, "channels " + String.join(", ", widths), List.of());
    }
}
