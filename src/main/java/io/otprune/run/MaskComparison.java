package io.otprune.run;

import io.otprune.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two finished runs of the same model at the same granularity, mask against mask: per unit set the overlap of the
 * kept sets (Jaccard), the shares kept by both, by only one run, or by neither, and for channels which ones differ.
 * Read from the runs' {@value RunMasks#FILE}.
 */
public final class MaskComparison {
    /**
     * One unit set compared.
     *
     * @param jaccard |A ∩ B| / |A ∪ B| of the kept units (1 when both keep nothing)
     * @param onlyAChannels channel indices only run A keeps (structured runs; null for weights)
     */
    public record Layer(String set, long[] shape, int units, int both, int onlyA, int onlyB, int neither,
            double jaccard, List<Integer> onlyAChannels, List<Integer> onlyBChannels) {
        public double bothShare() { return (double) both / units; }
        public double onlyAShare() { return (double) onlyA / units; }
        public double onlyBShare() { return (double) onlyB / units; }
    }

    /** What {@code --out} writes: the runs, the granularity and the layers. */
    public record Report(String runA, String runB, String model, String granularity, List<Layer> layers) {}

    private final Report report;
    private final List<boolean[]> keepA;
    private final List<boolean[]> keepB;

    private MaskComparison(Report report, List<boolean[]> keepA, List<boolean[]> keepB) {
        this.report = report;
        this.keepA = keepA;
        this.keepB = keepB;
    }

    /** Compares two run folders; runs of different models or granularities are refused in one line. */
    public static MaskComparison of(Path runA, Path runB) throws IOException {
        return of(runA.toString(), RunMasks.read(runA), runB.toString(), RunMasks.read(runB));
    }

    static MaskComparison of(String nameA, RunMasks a, String nameB, RunMasks b) {
        boolean sameModel = a.modelSha256() != null && b.modelSha256() != null
                ? a.modelSha256().equals(b.modelSha256())
                : Path.of(a.model()).toAbsolutePath().normalize().equals(Path.of(b.model()).toAbsolutePath()
                        .normalize());
        if (!sameModel) {
            throw new IllegalArgumentException("the runs pruned different models (" + a.model() + " and "
                    + b.model() + "): only runs of the same model can be compared");
        }
        if (!a.granularity().equals(b.granularity())) {
            throw new IllegalArgumentException("the runs pruned at different granularities (" + a.granularity()
                    + " and " + b.granularity() + "): only runs of the same granularity can be compared");
        }
        if (a.sets().size() != b.sets().size()) {
            throw new IllegalArgumentException("the runs have different unit sets (" + a.sets().size() + " and "
                    + b.sets().size() + ")");
        }
        boolean channels = a.granularity().equals("structured");
        List<Layer> layers = new ArrayList<>();
        List<boolean[]> ka = new ArrayList<>(), kb = new ArrayList<>();
        for (int j = 0; j < a.sets().size(); j++) {
            RunMasks.Set sa = a.sets().get(j), sb = b.sets().get(j);
            if (!sa.name().equals(sb.name()) || sa.units() != sb.units()) {
                throw new IllegalArgumentException("the runs' unit sets differ: " + sa.name() + " (" + sa.units()
                        + ") and " + sb.name() + " (" + sb.units() + ")");
            }
            boolean[] x = sa.keep(), y = sb.keep();
            int both = 0, onlyA = 0, onlyB = 0;
            List<Integer> ca = channels ? new ArrayList<>() : null, cb = channels ? new ArrayList<>() : null;
            for (int i = 0; i < x.length; i++) {
                if (x[i] && y[i]) {
                    both++;
                } else if (x[i]) {
                    onlyA++;
                    if (channels) {
                        ca.add(i);
                    }
                } else if (y[i]) {
                    onlyB++;
                    if (channels) {
                        cb.add(i);
                    }
                }
            }
            int union = both + onlyA + onlyB;
            layers.add(new Layer(sa.name(), sa.shape(), x.length, both, onlyA, onlyB, x.length - union,
                    union == 0 ? 1 : (double) both / union, ca, cb));
            ka.add(x);
            kb.add(y);
        }
        return new MaskComparison(new Report(nameA, nameB, a.model(), a.granularity(), List.copyOf(layers)), ka, kb);
    }

    public Report report() { return report; }
    public List<Layer> layers() { return report.layers(); }

    /** Run A's and run B's kept units of layer {@code j}. */
    public boolean[] keepA(int j) { return keepA.get(j).clone(); }
    public boolean[] keepB(int j) { return keepB.get(j).clone(); }

    public String json() {
        return Json.PRETTY.toJson(report) + "\n";
    }

    /** The per-layer table {@code otprune compare} prints. */
    public String table() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "A: %s%nB: %s%n%s masks of %s%n%-28s %10s "
                + "%8s %8s %8s %8s%n", report.runA(), report.runB(), report.granularity(), report.model(), "set",
                "units", "jaccard", "both", "only A", "only B"));
        for (Layer l : layers()) {
            b.append(String.format(Locale.ROOT, "%-28s %10d %8.4f %7.2f%% %7.2f%% %7.2f%%%n", l.set(), l.units(),
                    l.jaccard(), 100 * l.bothShare(), 100 * l.onlyAShare(), 100 * l.onlyBShare()));
            if (l.onlyAChannels() != null && (!l.onlyAChannels().isEmpty() || !l.onlyBChannels().isEmpty())) {
                b.append(String.format("    channels only A %s, only B %s%n", l.onlyAChannels(), l.onlyBChannels()));
            }
        }
        return b.toString().stripTrailing();
    }
}
