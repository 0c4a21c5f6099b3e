package io.otprune.ui;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelInfo;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import io.otprune.prune.Baselines;
import io.otprune.prune.ChannelGraph;
import io.otprune.prune.ChannelUnits;
import io.otprune.prune.Problems;
import io.otprune.prune.PruneConfig;
import io.otprune.prune.Selection;
import io.otprune.prune.UnitSet;
import io.otprune.prune.UnitSets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
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

    /** What a setting keeps, in total and per layer. */
    public record Outcome(long units, long unitsKept, long params, long paramsKept, long macs, long macsKept,
            List<String> layers, List<Double> keptFraction, String error) {}

    private final NDManager manager;
    private final Network net;
    private final ModelInfo info;
    private final Path dir;
    private final List<LayerRow> rows = new ArrayList<>();
    private final Map<PruneConfig.Granularity, List<UnitSet>> sets = new EnumMap<>(PruneConfig.Granularity.class);
    private final Map<PruneConfig.Granularity, List<float[]>> magnitudes = new EnumMap<>(PruneConfig.Granularity.class);

    private ModelPreview(NDManager manager, Network net, ModelInfo info, Path dir) {
        this.manager = manager;
        this.net = net;
        this.info = info;
        this.dir = dir;
        for (PrunableLayer l : net.layers()) {
            String shape = l.kind() == PrunableLayer.Kind.CONV
                    ? l.inChannels() + "→" + l.outChannels() + " " + l.kernel() + "×" + l.kernel()
                    : l.inChannels() + "→" + l.outChannels();
            rows.add(new LayerRow(l.name(), l.kind().name().toLowerCase(), shape, l.outChannels(), l.params(),
                    l.macs()));
        }
        for (PruneConfig.Granularity g : PruneConfig.Granularity.values()) {
            if (g == PruneConfig.Granularity.DEPTH && net.residualBlocks().isEmpty()) {
                continue; // no blocks to remove: the outcome says so
            }
            List<UnitSet> s = UnitSets.of(net, g);
            sets.put(g, s);
            magnitudes.put(g, Baselines.magnitudes(s));
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
    public long params() { return net.paramCount(); }
    public long macs() { return net.macs(); }

    /** Unit set names of a granularity (the layers a mask view or histogram can show). */
    public List<String> setNames(PruneConfig.Granularity g) {
        return sets.getOrDefault(g, List.of()).stream().map(UnitSet::name).toList();
    }

    /** What a setting keeps if pruning started from the magnitudes: exact budget, per layer. */
    public Outcome outcome(PruneConfig pc) {
        List<UnitSet> s = sets.get(pc.granularity());
        try {
            if (s == null) {
                new io.otprune.prune.DepthUnits(net); // says why
            }
            // block latencies are measured when the run starts; the preview ranks by multiply-adds instead
            PruneConfig.Budget budget = pc.budget() == PruneConfig.Budget.LATENCY ? PruneConfig.Budget.FLOPS
                    : pc.budget();
            boolean[][] keep = Selection.harden(s, Problems.build(s, budget, pc.scope(), pc.keptFraction()),
                    magnitudes.get(pc.granularity()), pc, pc.keptFraction());
            long units = 0, kept = 0;
            List<String> names = new ArrayList<>();
            List<Double> frac = new ArrayList<>();
            for (int j = 0; j < s.size(); j++) {
                int k = 0;
                for (boolean b : keep[j]) {
                    k += b ? 1 : 0;
                }
                units += keep[j].length;
                kept += k;
                names.add(s.get(j).name());
                frac.add((double) k / keep[j].length);
            }
            long paramsKept, macsKept;
            if (pc.granularity() == PruneConfig.Granularity.STRUCTURED) {
                ChannelGraph g = ((ChannelUnits) s.get(0)).graph();
                Map<ChannelGraph.Space, Integer> counts = new IdentityHashMap<>();
                for (int j = 0; j < s.size(); j++) {
                    counts.put(((ChannelUnits) s.get(j)).space(), (int) Math.round(frac.get(j) * keep[j].length));
                }
                long[] c = g.countWith(counts);
                paramsKept = c[0];
                macsKept = c[1];
            } else {
                long pruned = 0, prunedMacs = 0;
                for (int j = 0; j < s.size(); j++) {
                    double[] pc2 = s.get(j).paramCosts(), fc = s.get(j).flopCosts();
                    for (int i = 0; i < keep[j].length; i++) {
                        if (!keep[j][i]) {
                            pruned += (long) pc2[i];
                            prunedMacs += (long) fc[i];
                        }
                    }
                }
                paramsKept = net.paramCount() - pruned;
                macsKept = net.macs() - prunedMacs;
            }
            return new Outcome(units, kept, net.paramCount(), paramsKept, net.macs(), macsKept, names, frac, null);
        } catch (IllegalArgumentException e) {
            return new Outcome(0, 0, net.paramCount(), 0, net.macs(), 0, List.of(), List.of(), e.getMessage());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
