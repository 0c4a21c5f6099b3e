package io.otprune.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otprune.prune.PruneConfig;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import io.otprune.util.Files2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensitivityScanTest {
    static final Path SAMPLES = Path.of(System.getProperty("otprune.repo", ".")).resolve("sample-models");

    @TempDir
    Path tmp;

    /** A copy of a sample model (the scan writes sensitivity.json next to its weights). */
    static Path copy(String name, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(SAMPLES.resolve(name))) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    @Test
    void scansEveryLayerOnTrainingImagesSavesAndReadsBack() throws Exception {
        Path model = copy("lenet5-fmnist", tmp.resolve("lenet5"));
        String weights = Files2.sha256(model.resolve("model.params"));
        SensitivityScan.Settings settings = SensitivityScan.Settings.builder().data("fashion-mnist-small")
                .subset(300).seed(3).sparsities(List.of(0.5, 0.95)).build();
        List<RunEvent> events = new ArrayList<>();
        SensitivityScan.Result r = SensitivityScan.scan(model, settings, "cpu", events::add, new RunControl());
        assertThat(r.images()).isEqualTo(300);
        assertThat(r.rows()).extracting(SensitivityScan.Row::set).containsExactly("conv1", "conv2", "fc1", "fc2");
        assertThat(r.rows()).allSatisfy(row -> assertThat(row.accuracy()).hasSize(2));
        assertThat(r.dense()).isGreaterThan(0.6);
        // pruning 95% of a layer by magnitude hurts somewhere; 50% hurts less than 95% summed over layers
        double drop50 = 0, drop95 = 0;
        for (int i = 0; i < 4; i++) {
            drop50 += r.dropPoints(i, 0);
            drop95 += r.dropPoints(i, 1);
        }
        assertThat(drop95).isGreaterThan(drop50).isGreaterThan(1);
        // progress: one step per layer and sparsity, ending at the total
        List<RunEvent.Step> steps = events.stream().filter(e -> e instanceof RunEvent.Step)
                .map(e -> (RunEvent.Step) e).toList();
        assertThat(steps).hasSize(8);
        assertThat(steps.get(7).globalStep()).isEqualTo(8).isEqualTo(steps.get(7).totalSteps());
        // the weights are untouched; the scan is saved and read back instead of recomputed
        assertThat(Files2.sha256(model.resolve("model.params"))).isEqualTo(weights);
        assertThat(model.resolve(SensitivityScan.FILE)).exists();
        List<RunEvent> again = new ArrayList<>();
        SensitivityScan.Result back = SensitivityScan.scan(model, settings, "cpu", again::add, new RunControl());
        assertThat(back).isEqualTo(r);
        assertThat(again).noneMatch(e -> e instanceof RunEvent.Step);
        // other settings are another scan, kept beside the first
        SensitivityScan.Settings other = SensitivityScan.Settings.builder().data("fashion-mnist-small")
                .granularity(PruneConfig.Granularity.STRUCTURED).subset(100).sparsities(List.of(0.5)).build();
        assertThat(SensitivityScan.load(model, other)).isNull();
        SensitivityScan.Result channels = SensitivityScan.scan(model, other, "cpu", e -> {}, new RunControl());
        assertThat(channels.rows()).extracting(SensitivityScan.Row::set).contains("conv1", "conv2", "fc1");
        assertThat(SensitivityScan.saved(model)).hasSize(2);
        assertThat(SensitivityScan.load(model, settings)).isEqualTo(r);
        // CSV: a header and one line per layer and sparsity; JSON: the floors at the tolerance
        assertThat(r.csv().lines()).hasSize(1 + 8);
        Path json = tmp.resolve("scan.json");
        Files.writeString(json, r.json(1));
        assertThat(SensitivityScan.readFloors(json.toString())).isEqualTo(r.floors(1));
    }

    @Test
    void floorsFollowTheToleratedDrop() {
        SensitivityScan.Settings s = SensitivityScan.Settings.builder().sparsities(List.of(0.3, 0.5, 0.7, 0.9))
                .build();
        SensitivityScan.Result r = new SensitivityScan.Result(s, "x", 100, 0.90, List.of(
                new SensitivityScan.Row("robust", 10, List.of(0.90, 0.90, 0.895, 0.85)),
                // within 1 point at 0.3, not at 0.5, within again at 0.7 (noise): the prefix counts
                new SensitivityScan.Row("noisy", 10, List.of(0.895, 0.87, 0.90, 0.5)),
                new SensitivityScan.Row("fragile", 10, List.of(0.80, 0.7, 0.6, 0.5))), 1, "now");
        assertThat(r.floors(1)).isEqualTo(Map.of("robust", 0.3, "noisy", 0.7, "fragile", 1.0));
        assertThat(r.floors(10)).isEqualTo(Map.of("robust", 0.1, "noisy", 0.3, "fragile", 0.7));
        assertThatThrownBy(() -> r.floors(-1)).hasMessageContaining("tolerated");
    }

    @Test
    void fittedFloorsAreTheMostProtectiveTheBudgetAllows() throws Exception {
        io.otprune.model.Graph lenet = io.otprune.model.ModelStore.readInfo(SAMPLES.resolve("lenet5-fmnist")).graph();
        SensitivityScan.Settings s = SensitivityScan.Settings.builder().sparsities(List.of(0.5, 0.8, 0.9, 0.95, 0.99))
                .build();
        SensitivityScan.Result r = new SensitivityScan.Result(s, "x", 1000, 0.90, List.of(
                new SensitivityScan.Row("conv1", 150, List.of(0.88, 0.80, 0.50, 0.20, 0.10)),
                new SensitivityScan.Row("conv2", 2400, List.of(0.90, 0.89, 0.85, 0.70, 0.50)),
                new SensitivityScan.Row("fc1", 30720, List.of(0.90, 0.895, 0.88, 0.84, 0.70)),
                new SensitivityScan.Row("fc2", 850, List.of(0.90, 0.898, 0.89, 0.85, 0.60))), 1, "now");
        PruneConfig pc = PruneConfig.builder().sparsity(0.95).build();
        // 1 point protects far more than 5% of the weights: refused, as a run with those floors would be
        assertThat(fits(lenet, pc, r.floors(1))).isFalse();
        SensitivityScan.Fit fit = r.fitFloors(lenet, pc, 1);
        assertThat(fit.tolerancePoints()).isGreaterThan(1);
        assertThat(fit.floors()).isEqualTo(r.floors(fit.tolerancePoints()));
        assertThat(fits(lenet, pc, fit.floors())).isTrue();
        // every smaller tolerance the scan distinguishes gives floors that do not fit
        for (int i = 0; i < r.rows().size(); i++) {
            for (int k = 0; k < s.sparsities().size(); k++) {
                double d = r.dropPoints(i, k);
                if (d >= 1 && d < fit.tolerancePoints()) {
                    assertThat(fits(lenet, pc, r.floors(d))).as("tolerance %s", d).isFalse();
                }
            }
        }
        // floors that already fit are kept as asked
        PruneConfig mild = PruneConfig.builder().sparsity(0.5).build();
        assertThat(r.fitFloors(lenet, mild, 1).tolerancePoints()).isEqualTo(1.0);
        // a budget below the scan's lowest floors, or a scan of the other granularity, is refused in one line
        assertThatThrownBy(() -> r.fitFloors(lenet, PruneConfig.builder().sparsity(0.995).build(), 0))
                .hasMessageContaining("no floors of this scan fit");
        assertThatThrownBy(() -> r.fitFloors(lenet, PruneConfig.builder().granularity(
                PruneConfig.Granularity.STRUCTURED).sparsity(0.5).build(), 0)).hasMessageContaining("--granularity");
    }

    private static boolean fits(io.otprune.model.Graph g, PruneConfig pc, Map<String, Double> floors) {
        try {
            PruneRun.validate(g, pc.toBuilder().minKept(floors).build());
            return true;
        } catch (io.otprune.prune.Selection.BudgetException e) {
            return false;
        }
    }

    @Test
    void aCancelledScanStopsAndSavesNothing() throws Exception {
        Path model = copy("lenet5-fmnist", tmp.resolve("lenet5"));
        RunControl control = new RunControl();
        control.cancel();
        SensitivityScan.Settings settings = SensitivityScan.Settings.builder().subset(50)
                .sparsities(List.of(0.5)).build();
        assertThatThrownBy(() -> SensitivityScan.scan(model, settings, "cpu", e -> {}, control))
                .isInstanceOf(RunCancelledException.class);
        assertThat(model.resolve(SensitivityScan.FILE)).doesNotExist();
    }

    @Test
    void badSettingsAreOneLine() {
        assertThatThrownBy(() -> SensitivityScan.Settings.builder().sparsities(List.of(0.5, 0.3)).build())
                .hasMessageContaining("increase");
        assertThatThrownBy(() -> SensitivityScan.Settings.builder().granularity(PruneConfig.Granularity.DEPTH)
                .build()).hasMessageContaining("unstructured or structured");
        assertThatThrownBy(() -> SensitivityScan.readFloors("no-such-file")).hasMessageContaining("no such file");
    }
}
