package io.otprune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.otprune.run.RunMasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensitivityCliTest {
    static final Path SAMPLES = Path.of(System.getProperty("otprune.repo", ".")).resolve("sample-models");

    @TempDir
    Path tmp;

    Path lenet() throws Exception {
        Path to = Files.createDirectories(tmp.resolve("lenet5"));
        try (var files = Files.list(SAMPLES.resolve("lenet5-fmnist"))) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    @Test
    void sensitivityWritesCsvAndJsonWithFloors() throws Exception {
        Path model = lenet();
        Path out = tmp.resolve("scan");
        CliTest.Result r = CliTest.run("sensitivity", "--model", model.toString(), "--data", "fashion-mnist-small",
                "--out", out.toString(), "--subset", "100", "--sparsities", "0.5,0.9", "--tolerance", "2",
                "--device", "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("conv1").contains("fc2").contains("floor");
        List<String> csv = Files.readAllLines(tmp.resolve("scan.csv"));
        assertThat(csv.get(0)).isEqualTo("set,units,sparsity,accuracy,dense_accuracy,drop_points");
        assertThat(csv).hasSize(1 + 4 * 2);
        var json = JsonParser.parseString(Files.readString(tmp.resolve("scan.json"))).getAsJsonObject();
        assertThat(json.getAsJsonObject("floors").keySet()).containsExactly("conv1", "conv2", "fc1", "fc2");
        assertThat(json.get("tolerancePoints").getAsDouble()).isEqualTo(2.0);
        assertThat(model.resolve("sensitivity.json")).exists();

        // the floors file is what prune --floors reads; an unknown layer is one line
        CliTest.Result bad = CliTest.run("prune", "--model", model.toString(), "--sparsity", "0.9", "--floors",
                "nolayer=0.5", "--prune-epochs", "0", "--finetune-epochs", "0", "--out", tmp.resolve("r").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip().lines()).hasSize(1);
        assertThat(bad.err()).contains("nolayer").doesNotContain("Exception");
    }

    @Test
    void badInputIsOneLine() throws Exception {
        for (String[] args : List.of(
                new String[] {"sensitivity", "--model", tmp.resolve("none").toString(), "--out", "x"},
                new String[] {"sensitivity", "--model", "m", "--out", "x", "--sparsities", "0.5,abc"},
                new String[] {"sensitivity", "--model", "m", "--out", "x", "--granularity", "depth"},
                new String[] {"prune", "--model", "m", "--sparsity", "0.9", "--floors", "missing.json", "--out", "x"},
                new String[] {"compare", tmp.toString(), tmp.toString()})) {
            CliTest.Result r = CliTest.run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
            assertThat(r.err()).doesNotContain("Exception");
        }
    }

    @Test
    void compareTablesTwoRunFoldersAndWritesJson() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a")), b = Files.createDirectories(tmp.resolve("b"));
        boolean[] ka = {true, true, false, false}, kb = {true, false, true, false};
        new RunMasks("m", "s", "structured", List.of(RunMasks.Set.of("conv1", new long[] {4}, ka))).write(a);
        new RunMasks("m", "s", "structured", List.of(RunMasks.Set.of("conv1", new long[] {4}, kb))).write(b);
        Path json = tmp.resolve("cmp.json");
        CliTest.Result r = CliTest.run("compare", a.toString(), b.toString(), "--out", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("conv1").contains("0.3333").contains("only A [1], only B [2]");
        assertThat(JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonArray("layers"))
                .hasSize(1);
        new RunMasks("m", "s", "unstructured", List.of(RunMasks.Set.of("conv1", new long[] {4}, kb))).write(b);
        CliTest.Result refused = CliTest.run("compare", a.toString(), b.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("different granularities");
    }
}
