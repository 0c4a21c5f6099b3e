package io.otprune.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otprune.prune.Accounting;
import io.otprune.prune.PruneConfig;
import io.otprune.train.RunControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real tiny runs of lenet5: floors honoured at the end of a dtp run, masks saved, and compared. */
class MaskComparisonTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path dtp;
    static Path gmp;
    static PruneSummary dtpSummary;

    static PruneRunConfig config(PruneConfig pc) {
        return PruneRunConfig.builder().model(model.toString()).data("fashion-mnist-small").prune(pc).pruneEpochs(1)
                .finetuneEpochs(0).device("cpu").build();
    }

    @BeforeAll
    static void twoRuns() throws Exception {
        model = SensitivityScanTest.copy("lenet5-fmnist", tmp.resolve("lenet5"));
        PruneConfig floored = PruneConfig.builder().method(PruneConfig.Method.DTP).sparsity(0.9)
                .minKept(Map.of("conv1", 0.8, "fc2", 0.9)).build();
        dtp = tmp.resolve("dtp");
        dtpSummary = PruneRun.execute(config(floored), dtp, false, e -> {}, new RunControl());
        gmp = tmp.resolve("gmp");
        PruneRun.execute(config(PruneConfig.defaults(PruneConfig.Method.GMP, PruneConfig.Granularity.UNSTRUCTURED,
                0.9)), gmp, false, e -> {}, new RunControl());
    }

    @Test
    void dtpEndsWithTheFloorsAndTheExactBudget() throws Exception {
        for (Accounting.Layer l : dtpSummary.perLayer()) {
            double floor = Map.of("conv1", 0.8, "fc2", 0.9).getOrDefault(l.name(), 0.0);
            assertThat((double) l.kept()).as(l.name()).isGreaterThanOrEqualTo(Math.ceil(floor * l.units()));
        }
        assertThat(dtpSummary.unitsKept()).isEqualTo(Math.round(0.1 * dtpSummary.units()));
        // the floors are in run.json and in the command that reproduces the run
        PruneRunConfig back = RunHistory.config(dtp);
        assertThat(back.prune().minKept()).isEqualTo(Map.of("conv1", 0.8, "fc2", 0.9));
        assertThat(back.command()).contains(" --floors conv1=0.8,fc2=0.9");
        assertThat(PruneConfig.parseFloors("conv1=0.8,fc2=0.9")).isEqualTo(back.prune().minKept());
    }

    @Test
    void comparesTheMasksOfTwoRunsPerLayer() throws Exception {
        MaskComparison c = MaskComparison.of(dtp, gmp);
        assertThat(c.layers()).extracting(MaskComparison.Layer::set).containsExactly("conv1", "conv2", "fc1", "fc2");
        for (int j = 0; j < c.layers().size(); j++) {
            MaskComparison.Layer l = c.layers().get(j);
            boolean[] a = c.keepA(j), b = c.keepB(j);
            int both = 0, union = 0, keptA = 0;
            for (int i = 0; i < a.length; i++) {
                both += a[i] && b[i] ? 1 : 0;
                union += a[i] || b[i] ? 1 : 0;
                keptA += a[i] ? 1 : 0;
            }
            assertThat(l.both()).isEqualTo(both);
            assertThat(l.both() + l.onlyA() + l.onlyB() + l.neither()).isEqualTo(l.units());
            assertThat(l.jaccard()).isEqualTo((double) both / union);
            assertThat(keptA).isEqualTo(dtpSummary.perLayer().get(j).kept());
            assertThat(l.onlyAChannels()).isNull(); // weights, not channels
        }
        // a run against itself overlaps fully
        assertThat(MaskComparison.of(dtp, dtp).layers()).allSatisfy(l -> {
            assertThat(l.jaccard()).isEqualTo(1.0);
            assertThat(l.onlyA() + l.onlyB()).isZero();
        });
        assertThat(c.table()).contains("conv1").contains("jaccard");
        assertThat(c.json()).contains("\"jaccard\"");
    }

    @Test
    void refusesRunsOfOtherModelsOrGranularitiesInOneLine() throws Exception {
        RunMasks a = RunMasks.read(dtp);
        RunMasks otherModel = new RunMasks("elsewhere", "0000", a.granularity(), a.sets());
        assertThatThrownBy(() -> MaskComparison.of("a", a, "b", otherModel))
                .hasMessageContaining("different models").hasMessageNotContaining("\n");
        RunMasks otherGranularity = new RunMasks(a.model(), a.modelSha256(), "structured", a.sets());
        assertThatThrownBy(() -> MaskComparison.of("a", a, "b", otherGranularity))
                .hasMessageContaining("different granularities");
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> MaskComparison.of(dtp, tmp.resolve("empty"))).hasMessageContaining("masks.json");
    }

    @Test
    void structuredComparisonNamesTheChannelsThatDiffer() {
        boolean[] a = {true, true, false, false}, b = {true, false, true, false};
        RunMasks ma = new RunMasks("m", "s", "structured", java.util.List.of(RunMasks.Set.of("conv1", new long[] {4}, a)));
        RunMasks mb = new RunMasks("m", "s", "structured", java.util.List.of(RunMasks.Set.of("conv1", new long[] {4}, b)));
        MaskComparison.Layer l = MaskComparison.of("a", ma, "b", mb).layers().get(0);
        assertThat(l.onlyAChannels()).containsExactly(1);
        assertThat(l.onlyBChannels()).containsExactly(2);
        assertThat(l.jaccard()).isEqualTo(1.0 / 3);
        assertThat(ma.sets().get(0).keep()).containsExactly(a);
    }
}
