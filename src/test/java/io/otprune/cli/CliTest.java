package io.otprune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void versionNamesTheStack() {
        Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("otprune").contains("DJL 0.35.1").contains("PyTorch 2.7.1").contains("Java 17")
                .contains("CPU: ");
        // the collector this JVM runs, by the names the JVM gives it (the surefire JVM runs the default one)
        String collectors = String.join(", ", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
                .stream().map(java.lang.management.GarbageCollectorMXBean::getName).toList());
        assertThat(r.out()).contains("garbage collector: " + collectors);
    }

    @Test
    void usageErrorsExitWithTwoAndOneLine() {
        Result r = run("train", "--model", "lenet5", "--epochs", "abc", "--out", tmp.resolve("x").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--epochs");
        Result unknown = run("train", "--model", "alexnet", "--out", tmp.resolve("y").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip().lines()).hasSize(1);
        assertThat(unknown.err()).contains("unknown model 'alexnet'").doesNotContain("Exception");
        Result data = run("train", "--model", "lenet5", "--data", "nope", "--out", tmp.resolve("z").toString());
        assertThat(data.code()).isEqualTo(2);
        assertThat(data.err()).contains("unknown data set 'nope'");
    }

    @Test
    void trainEvalInspectRoundTrip() throws Exception {
        Path out = tmp.resolve("run");
        Path export = tmp.resolve("exported");
        Result r = run("train", "--model", "mlp-300-100", "--data", "mnist-small", "--epochs", "1", "--out",
                out.toString(), "--export-model", export.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("epoch 1/1").contains("test accuracy");
        for (String f : List.of("run.json", "metrics.jsonl", "summary.json", "model/model.json", "model/model.params")) {
            assertThat(out.resolve(f)).exists();
        }
        assertThat(export.resolve("model.json")).exists();
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        double acc = summary.get("testAccuracy").getAsDouble();
        assertThat(acc).isGreaterThan(0.7);
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertThat(lines).anyMatch(l -> l.contains("\"type\":\"epoch\""));
        JsonObject modelJson = JsonParser.parseString(Files.readString(out.resolve("model/model.json"))).getAsJsonObject();
        assertThat(modelJson.get("trainingCommand").getAsString()).startsWith("otprune train --model mlp-300-100");
        assertThat(modelJson.get("params").getAsLong()).isEqualTo(266_610);

        Result ev = run("eval", "--model", out.resolve("model").toString());
        assertThat(ev.code()).as(ev.err()).isZero();
        assertThat(ev.out()).contains(String.format("accuracy %.2f%%", 100 * acc)).contains("difference +0.00 points");

        Result in = run("inspect", out.resolve("model").toString());
        assertThat(in.code()).isZero();
        assertThat(in.out()).contains("fc1").contains("266,610 parameters");

        // the run folder is not overwritten without --force
        Result again = run("train", "--model", "mlp-300-100", "--data", "mnist-small", "--epochs", "1", "--out",
                out.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("exists and is not empty");
    }

    @Test
    void pruneRefusesBadInputWithExitTwo() throws Exception {
        Path model = Files.createDirectories(tmp.resolve("m"));
        String out = tmp.resolve("out").toString();
        String[][] cases = {
            {"--sparsity", "abc"}, {"--sparsity", "1"}, {"--sparsity", "-0.1"}, {"--sparsity", "NaN"},
            {"--sparsity", "0"},
            {"--sparsity", "0.5", "--method", "lottery"}, {"--sparsity", "0.5", "--granularity", "blocks"},
            {"--sparsity", "0.5", "--budget", "bytes"}, {"--sparsity", "0.5", "--scope", "local"},
            {"--sparsity", "0.5", "--temperature", "hot"}, {"--sparsity", "0.5"} // model folder has no model.json
        };
        String[] expected = {"must be a number", "in (0, 1)", "in (0, 1)", "in (0, 1)", "0 prunes nothing",
            "unknown method 'lottery'",
            "unknown granularity 'blocks'", "unknown budget 'bytes'", "unknown scope 'local'",
            "unknown temperature mode 'hot'", "model.json: missing"};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("prune", "--model", model.toString(), "--out", out));
            args.addAll(List.of(cases[i]));
            Result r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(r.err()).contains(expected[i]);
            assertThat(r.err().strip().lines()).hasSize(1);
        }
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void aChannelFloorThatBreaksTheBudgetIsRefused() {
        String model = java.nio.file.Path.of(System.getProperty("otprune.repo", ".")).resolve("sample-models/lenet5-mnist")
                .toString();
        Result r = run("prune", "--model", model, "--data", "mnist-small", "--granularity", "structured", "--budget",
                "params", "--sparsity", "0.5", "--min-channels", "400", "--out", tmp.resolve("floor").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("floor of 400 channel(s)").contains("cannot be met");
        assertThat(tmp.resolve("floor")).doesNotExist();
    }

    @Test
    void combinationsThatDoNotExistAreRefused() {
        String model = java.nio.file.Path.of(System.getProperty("otprune.repo", ".")).resolve("sample-models/lenet5-mnist")
                .toString();
        String[][] cases = {
            {"--granularity", "depth"}, {"--granularity", "structured", "--budget", "latency"},
            {"--method", "egp", "--granularity", "structured"}, {"--method", "cpot"},
            {"--granularity", "depth", "--budget", "latency", "--latency-batch", "0"}
        };
        String[] expected = {"this network has none", "use it with --granularity depth", "egp prunes weights",
            "cpot ranks channels", "latency batch size must be >= 1"};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("prune", "--model", model, "--data", "mnist-small",
                    "--sparsity", "0.5", "--out", tmp.resolve("combo").toString()));
            args.addAll(List.of(cases[i]));
            Result r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", cases[i])).contains(expected[i]);
            assertThat(r.err().strip().lines()).hasSize(1);
        }
        assertThat(tmp.resolve("combo")).doesNotExist();
    }

    @Test
    void corruptModelFailsWithOneLine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve("model.json"), "{\"format\": 1}");
        Result r = run("eval", "--model", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("model.json").contains("no architecture").doesNotContain("\tat ");
    }

    @Test
    void benchTrainTracesStepsOpByOp() throws Exception {
        Path json = tmp.resolve("bench.json");
        Path trace = tmp.resolve("trace/steps.json");
        Result r = run("bench", "train", "--model", "mlp-300-100", "--steps", "2", "--warmup", "0", "--batch-size", "16",
                "--out", json.toString(), "--trace", trace.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String t = Files.readString(trace);
        // forward and backward ops of the traced steps, with their input shapes
        assertThat(t).contains("aten::").contains("autograd::engine::evaluate_function").contains("\"shape\"");
        assertThat(Files.readString(json)).contains("medianMsPerStep");
        Result two = run("bench", "train", "--model", "mlp-300-100,lenet5", "--trace", trace.toString());
        assertThat(two.code()).isEqualTo(2);
        assertThat(two.err()).contains("one --model");
    }

    @Test
    void benchMaskProductMeasuresEveryVariantInEveryRound() throws Exception {
        Path json = tmp.resolve("mask.json");
        Result r = run("bench", "mask-product", "--steps", "2", "--warmup", "1", "--batch-size", "16", "--rounds",
                "2", "--out", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        var rows = com.google.gson.JsonParser.parseString(Files.readString(json)).getAsJsonObject()
                .getAsJsonArray("results");
        // every variant in order, measured in both rounds (a leaf variant whose mask got no gradient fails reading it)
        assertThat(rows).hasSize(BenchMaskCommand.VARIANTS.length);
        for (int k = 0; k < rows.size(); k++) {
            var row = rows.get(k).getAsJsonObject();
            assertThat(row.get("variant").getAsString()).isEqualTo(BenchMaskCommand.VARIANTS[k]);
            assertThat(row.getAsJsonArray("roundMedians")).hasSize(2);
            assertThat(row.get("medianMsPerStep").getAsDouble()).isPositive();
        }
        assertThat(r.out()).contains("σ mask leaf");
        assertThat(run("bench", "mask-product", "--rounds", "0").code()).isEqualTo(2);
    }

    @Test
    void benchOverheadTracesTheDtpSteps() throws Exception {
        Path json = tmp.resolve("overhead.json");
        Path trace = tmp.resolve("trace/dtp.json");
        Result r = run("bench", "overhead", "--model", "mlp-300-100", "--steps", "2", "--warmup", "0",
                "--batch-size", "16", "--rounds", "2", "--out", json.toString(), "--trace", trace.toString());
        assertThat(r.code()).as(r.err()).isZero();
        // two rounds of two steps for each of the five variants
        assertThat(Files.readString(json)).containsPattern("\"measuredSteps\"\\s*:\\s*4");
        if (System.getenv("OMP_NUM_THREADS") == null && System.getProperty("ai.djl.pytorch.num_threads") == null) {
            // the mlp is a small network: measured on one thread, as its runs train (EngineThreads)
            assertThat(Files.readString(json)).containsPattern("\"cpuThreads\"\\s*:\\s*1\\b")
                    .doesNotContainPattern("\"cpuThreads\"\\s*:\\s*[02-9]");
        }
        assertThat(run("bench", "overhead", "--rounds", "0").code()).isEqualTo(2);
        // the DTP variant's own ops are in it: the soft mask's sigmoid and the backward pass of its product with the
        // weights; on the CPU the backward pass stops at the mask (HostScoreStep forms the scores' gradient)
        assertThat(Files.readString(trace)).contains("aten::sigmoid").contains("MulBackward0")
                .doesNotContain("SigmoidBackward0");
        assertThat(Files.readString(json)).contains("dtp (1 Sinkhorn iteration)").contains("dtp (τ fixed)");
        // the paired ratio: per round the variant's median over gmp's in the same round, then their median
        var results = com.google.gson.JsonParser.parseString(Files.readString(json)).getAsJsonObject()
                .getAsJsonArray("results");
        java.util.Map<String, double[]> rounds = new java.util.HashMap<>();
        for (var e : results) {
            var o = e.getAsJsonObject();
            var rm = o.getAsJsonArray("roundMedians");
            rounds.put(o.get("variant").getAsString(), new double[] {rm.get(0).getAsDouble(), rm.get(1).getAsDouble()});
        }
        for (var e : results) {
            var o = e.getAsJsonObject();
            double[] v = rounds.get(o.get("variant").getAsString()), g = rounds.get("gmp");
            assertThat(o.get("pairedRatioToGmp").getAsDouble())
                    .isCloseTo((v[0] / g[0] + v[1] / g[1]) / 2, org.assertj.core.data.Offset.offset(1e-9));
        }
        Result two = run("bench", "overhead", "--model", "mlp-300-100,lenet5", "--trace", trace.toString());
        assertThat(two.code()).isEqualTo(2);
        assertThat(two.err()).contains("one --model");
    }
}
