package io.otprune.ui;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelInfo;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import io.otprune.model.Graph;
import io.otprune.model.Node;
import io.otprune.model.Ops;
import io.otprune.prune.Accounting;
import io.otprune.prune.Baselines;
import io.otprune.prune.NodeUnits;
import io.otprune.prune.Problems;
import io.otprune.prune.PruneConfig;
import io.otprune.prune.PruneUnits;
import io.otprune.prune.UnitSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded model's structure and magnitudes, for showing what a setting means before anything runs: the same
 * exact selection the run's hardening uses, applied to the magnitudes (the run's starting point). Plain values out;
 * the NDArrays stay inside and are released on {@link #close()}.
 */
public final class ModelPreview implements AutoCloseable {
    /** One layer's row in the model table. */
    public record LayerRow(String name, String kind, String shape, int units, long params, long macs) {}

    /**
     * A channel group (a structured unit set): channels pruned together, and the layers whose output channels they
     * are (several when residual additions, products or depthwise convolutions tie them).
     */
    public record ChannelGroup(String name, int channels, List<String> layers) {}

    /** What a setting keeps, in total and per layer. */
    public record Outcome(long units, long unitsKept, long params, long paramsKept, long macs, long macsKept,
            List<String> layers, List<Double> keptFraction, String error) {}

    private final NDManager manager;
    private final Network net;
    private final ModelInfo info;
    private final Path dir;
    private final NodeUnits nodeUnits;
    private final List<LayerRow> rows = new ArrayList<>();
    private final Map<PruneConfig.Granularity, PruneUnits> units = new EnumMap<>(PruneConfig.Granularity.class);
    private final Map<PruneConfig.Granularity, String> none = new EnumMap<>(PruneConfig.Granularity.class);
    private final Map<PruneConfig.Granularity, List<float[]>> magnitudes = new EnumMap<>(PruneConfig.Granularity.class);

    private ModelPreview(NDManager manager, Network net, ModelInfo info, Path dir) {
        this.manager = manager;
        this.net = net;
        this.info = info;
        this.dir = dir;
        this.nodeUnits = NodeUnits.of(net);
        Graph g = net.graph();
        for (PrunableLayer l : net.layers()) {
            Node n = g.node(l.name());
            String shape = l.inChannels() + "→" + l.outChannels();
            if (n.op() instanceof Ops.Conv c) {
                shape += " " + c.kernel()[0] + "×" + c.kernel()[1] + (c.groups() > 1 ? " /" + c.groups() : "");
            }
            rows.add(new LayerRow(l.name(), l.kind().name().toLowerCase(), shape, l.outChannels(), g.params(n),
                    g.macs(n)));
        }
        for (PruneConfig.Granularity gr : PruneConfig.Granularity.values()) {
            try {
                PruneUnits u = PruneUnits.of(net, gr);
                units.put(gr, u);
                magnitudes.put(gr, Baselines.magnitudes(u.sets()));
            } catch (IllegalArgumentException e) {
                none.put(gr, e.getMessage()); // e.g. no residual blocks: the outcome says so
            }
        }
    }

    public static ModelPreview load(Path dir) throws ModelFormatException {
        io.otprune.train.GradMode.offOnThisThread();
        NDManager m = NDManager.newBaseManager(Device.cpu());
        try {
            ModelStore.Loaded l = ModelStore.load(dir, m);
            return new ModelPreview(m, l.network(), l.info(), dir);
        } catch (ModelFormatException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    public ModelInfo info() { return info; }
    public Path dir() { return dir; }
    public List<LayerRow> layers() { return rows; }
    /** Unit sets, channel groups and residual blocks by node (the graph view). */
    public NodeUnits nodeUnits() { return nodeUnits; }
    public long params() { return net.paramCount(); }
    public long macs() { return net.macs(); }

    /** Unit set names of a granularity (the layers a mask view or histogram can show). */
    public List<String> setNames(PruneConfig.Granularity g) {
        PruneUnits u = units.get(g);
        return u == null ? List.of() : u.sets().stream().map(UnitSet::name).toList();
    }

    /**
     * The unit set of a granularity that node {@code layer} belongs to (a layer, its channel group, or the blocks),
     * or null when none does; the graph view's rule ({@link NodeUnits#set}), so a click there and a name typed
     * elsewhere select the same set.
     */
    public String setOf(PruneConfig.Granularity g, String layer) {
        return nodeUnits.set(layer, g);
    }

    /** The channel groups that structured pruning prunes, in the network's order (none when it cannot). */
    public List<ChannelGroup> channelGroups() {
        PruneUnits u = units.get(PruneConfig.Granularity.STRUCTURED);
        return u == null ? List.of() : u.sets().stream().map(s -> new ChannelGroup(s.name(), s.size(), s.members()))
                .toList();
    }

    /** Why a granularity has no unit sets in this model (e.g. no residual blocks for depth), or null when it has. */
    public String unavailable(PruneConfig.Granularity g) {
        return none.get(g);
    }

    /** What a setting keeps if pruning started from the magnitudes: the run's exact selection and accounting. */
    public Outcome outcome(PruneConfig pc) {
        PruneUnits u = units.get(pc.granularity());
        if (u == null) {
            return new Outcome(0, 0, net.paramCount(), 0, net.macs(), 0, List.of(), List.of(),
                    none.get(pc.granularity()));
        }
        try {
            // block latencies are measured when the run starts; the preview ranks by multiply-adds instead
            PruneConfig.Budget budget = pc.budget() == PruneConfig.Budget.LATENCY ? PruneConfig.Budget.FLOPS
                    : pc.budget();
            PruneConfig ranked = pc.toBuilder().budget(budget).build();
            boolean[][] keep = u.select(Problems.build(u.sets(), budget, pc.scope(), pc.keptFraction()),
                    magnitudes.get(pc.granularity()), ranked, pc.keptFraction());
            Accounting acc = u.account(keep, budget);
            List<String> names = new ArrayList<>();
            List<Double> frac = new ArrayList<>();
            for (int j = 0; j < keep.length; j++) {
                int k = 0;
                for (boolean b : keep[j]) {
                    k += b ? 1 : 0;
                }
                names.add(u.sets().get(j).name());
                frac.add((double) k / keep[j].length);
            }
            return new Outcome(acc.units(), acc.kept(), acc.paramsBefore(), acc.paramsAfter(), acc.flopsBefore(),
                    acc.flopsAfter(), names, frac, null);
        } catch (IllegalArgumentException e) {
            return new Outcome(0, 0, net.paramCount(), 0, net.macs(), 0, List.of(), List.of(), e.getMessage());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
