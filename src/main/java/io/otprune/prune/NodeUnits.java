package io.otprune.prune;

import io.otprune.model.Graph;
import io.otprune.model.Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which unit set and which channel group each node of a network belongs to, as plain names: what a drawing of the
 * graph colours by kept fraction and highlights together. The sets are the ones {@link PruneUnits#of} makes (their
 * names are what run events carry): unstructured, one per conv/linear layer, named after it; structured, one per
 * prunable channel group ({@link ChannelGraph.Space}), named after its first producer; depth, one set
 * ({@link DepthUnits#SET_NAME}) with one unit per residual block.
 */
public final class NodeUnits {
    /** A channel group: its name, channel count, whether it can be pruned, every node whose output holds it. */
    public record Group(String name, int size, boolean prunable, List<String> members) {}

    private final List<Group> groups = new ArrayList<>();
    private final Map<String, Group> groupOf = new HashMap<>();
    private final List<DepthUnits.Residual> blocks;
    private final Map<String, Integer> blockOf = new HashMap<>();
    private final java.util.Set<String> layers = new java.util.HashSet<>();

    private NodeUnits(Network net) {
        Graph graph = net.graph();
        graph.weightedNodes().forEach(n -> layers.add(n.name()));
        for (ChannelGraph.Space s : ChannelGraph.trace(net).spaces()) {
            Group g = new Group(s.name(), s.size(), s.prunable(), List.copyOf(s.members()));
            groups.add(g);
            g.members().forEach(m -> groupOf.put(m, g));
        }
        this.blocks = DepthUnits.find(graph);
        for (int i = 0; i < blocks.size(); i++) {
            for (String n : blocks.get(i).branch()) {
                blockOf.put(n, i);
            }
        }
    }

    /** Traces a network's channel groups and residual blocks (no parameters needed: the graph decides). */
    public static NodeUnits of(Network net) {
        return new NodeUnits(net);
    }

    /** All channel groups, the input's first. */
    public List<Group> groups() {
        return groups;
    }

    /** The channel group a node's output holds, or null (the input of nothing, or a concat of several groups). */
    public Group group(String node) {
        return groupOf.get(node);
    }

    /** The residual blocks in order (the units of depth pruning). */
    public List<DepthUnits.Residual> blocks() {
        return blocks;
    }

    /** The index of the residual block whose branch holds the node, or -1. */
    public int block(String node) {
        return blockOf.getOrDefault(node, -1);
    }

    /** The unit set a node belongs to at a granularity (the name run events use), or null when none. */
    public String set(String node, PruneConfig.Granularity granularity) {
        switch (granularity) {
            case UNSTRUCTURED -> {
                return layers.contains(node) ? node : null;
            }
            case STRUCTURED -> {
                Group g = groupOf.get(node);
                return g != null && g.prunable() ? g.name() : null;
            }
            default -> {
                return blockOf.containsKey(node) ? DepthUnits.SET_NAME : null;
            }
        }
    }

    /** The nodes of a unit set at a granularity (none for a name that is not a set). */
    public List<String> nodes(String set, PruneConfig.Granularity granularity) {
        List<String> out = new ArrayList<>();
        if (granularity == PruneConfig.Granularity.STRUCTURED) {
            groups.stream().filter(g -> g.prunable() && g.name().equals(set)).findFirst()
                    .ifPresent(g -> out.addAll(g.members()));
        } else if (granularity == PruneConfig.Granularity.DEPTH) {
            if (DepthUnits.SET_NAME.equals(set)) {
                blocks.forEach(b -> out.addAll(b.branch()));
            }
        } else if (set != null && set.equals(set(set, granularity))) {
            out.add(set);
        }
        return out;
    }
}
