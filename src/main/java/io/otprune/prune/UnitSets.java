package io.otprune.prune;

import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import java.util.ArrayList;
import java.util.List;

/** The unit sets of a network for a granularity. */
public final class UnitSets {
    private UnitSets() {}

    public static List<UnitSet> of(Network net, PruneConfig.Granularity granularity) {
        List<UnitSet> out = new ArrayList<>();
        if (granularity == PruneConfig.Granularity.DEPTH) {
            out.add(new DepthUnits(net));
            return out;
        }
        if (granularity == PruneConfig.Granularity.UNSTRUCTURED) {
            for (PrunableLayer l : net.layers()) {
                out.add(new WeightUnits(l));
            }
            return out;
        }
        ChannelGraph graph = ChannelGraph.trace(net);
        for (ChannelGraph.Space space : graph.prunableSpaces()) {
            out.add(new ChannelUnits(graph, space));
        }
        return out;
    }
}
