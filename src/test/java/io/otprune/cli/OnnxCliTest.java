package io.otprune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** otprune import / export: the happy path with a prune in between, and bad input in one line with exit code 2. */
class OnnxCliTest {
    static final Path FIXTURES = Path.of("src/test/resources/onnx");

    @TempDir
    Path tmp;

    static CliTest.Result run(String... args) {
        return CliTest.run(args);
    }

    static void oneLineUsageError(CliTest.Result r, String expected) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(expected).doesNotContain("Exception");
    }

    @Test
    void importPruneExport() throws Exception {
        Path model = tmp.resolve("m");
        CliTest.Result imp = run("import", FIXTURES.resolve("reshape_flatten.onnx").toString(), "--out", model.toString(),
                "--name", "tiny");
        assertThat(imp.code()).as(imp.err()).isZero();
        assertThat(imp.out()).contains("imported reshape_flatten.onnx (pytorch 1.13.0, opset 13)")
                .contains("onnxruntime max |diff| = ").contains("assumed");
        assertThat(model.resolve("model.json")).exists();
        assertThat(Files.readString(model.resolve("model.json"))).contains("\"name\": \"tiny\"");

        CliTest.Result inspect = run("inspect", model.toString());
        assertThat(inspect.code()).isZero();
        assertThat(inspect.out()).contains("tiny: input 1x28x28, 10 classes").contains("test accuracy not measured");

        CliTest.Result evalNoData = run("eval", "--model", model.toString());
        oneLineUsageError(evalNoData, "names no data set");

        // an imported graph prunes like any other: half its FLOPs as channels, then back to ONNX
        Path runDir = tmp.resolve("r");
        CliTest.Result prune = run("prune", "--model", model.toString(), "--data", "fashion-mnist-small",
                "--granularity", "structured", "--budget", "flops", "--sparsity", "0.5", "--prune-epochs", "1",
                "--finetune-epochs", "0", "--out", runDir.toString());
        assertThat(prune.code()).as(prune.err()).isZero();
        Path onnx = tmp.resolve("pruned.onnx");
        CliTest.Result exp = run("export", "--model", runDir.resolve("model").toString(), "--onnx", onnx.toString());
        assertThat(exp.code()).as(exp.err()).isZero();
        assertThat(exp.out()).contains("exported tiny -> ").contains("onnxruntime max |diff| = ")
                .contains("test images of fashion-mnist-small");
        assertThat(onnx).exists();
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        // the export does not overwrite, unless forced
        oneLineUsageError(run("export", "--model", runDir.resolve("model").toString(), "--onnx", onnx.toString()),
                "exists (--force replaces it)");
        assertThat(run("export", "--model", runDir.resolve("model").toString(), "--onnx", onnx.toString(),
                "--force").code()).isZero();

        // the pruned file imports again, smaller
        CliTest.Result again = run("import", onnx.toString(), "--out", tmp.resolve("again").toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("3,950 parameters");
    }

    @Test
    void badImportsAreOneLineAndWriteNothing() throws Exception {
        Path out = tmp.resolve("out");
        oneLineUsageError(run("import", FIXTURES.resolve("transpose.onnx").toString(), "--out", out.toString()),
                "transpose.onnx: unsupported op 'Transpose' at node /1/Transpose (opset 13)");
        oneLineUsageError(run("import", FIXTURES.resolve("empty.onnx").toString(), "--out", out.toString()),
                "empty file, not an ONNX model");
        oneLineUsageError(run("import", FIXTURES.resolve("not_onnx.onnx").toString(), "--out", out.toString()),
                "not an ONNX model");
        oneLineUsageError(run("import", FIXTURES.resolve("truncated.onnx").toString(), "--out", out.toString()),
                "not an ONNX model");
        oneLineUsageError(run("import", FIXTURES.resolve("clip_attr_opset10.onnx").toString(), "--out",
                out.toString()), "opset 10 is not supported");
        oneLineUsageError(run("import", tmp.resolve("nope.onnx").toString(), "--out", out.toString()), "no such file");
        assertThat(out).doesNotExist();
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).isEmpty();
        }
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("x"), "x");
        oneLineUsageError(run("import", FIXTURES.resolve("gemm.onnx").toString(), "--out", full.toString()),
                "exists and is not empty");
        CliTest.Result missing = run("import", FIXTURES.resolve("gemm.onnx").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--out");
    }

    @Test
    void badExportsAreOneLine() throws Exception {
        oneLineUsageError(run("export", "--model", tmp.resolve("none").toString(), "--onnx",
                tmp.resolve("x.onnx").toString()), "not a model folder");
        oneLineUsageError(run("export", "--model", "sample-models/lenet5-fmnist", "--onnx", tmp.toString()),
                "is a folder");
        assertThat(tmp.resolve("x.onnx")).doesNotExist();
    }

    @Test
    void sampleModelExportsWithTestImages() throws Exception {
        Path onnx = tmp.resolve("lenet5.onnx");
        CliTest.Result r = run("export", "--model", "sample-models/lenet5-fmnist", "--onnx", onnx.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("test images of fashion-mnist");
        // and it imports back into a model with the same counts
        CliTest.Result back = run("import", onnx.toString(), "--out", tmp.resolve("back").toString());
        assertThat(back.code()).as(back.err()).isZero();
        CliTest.Result original = run("inspect", "sample-models/lenet5-fmnist");
        CliTest.Result imported = run("inspect", tmp.resolve("back").toString());
        assertThat(lastLine(imported.out())).isEqualTo(lastLine(original.out()));
    }

    static String lastLine(String s) {
        return s.strip().lines().filter(l -> l.startsWith("total:")).findFirst().orElse("");
    }

    @Test
    void benchOnnxMeasuresFilesInAlternation() throws Exception {
        Path json = tmp.resolve("b.json");
        CliTest.Result r = run("bench", "onnx", "--onnx", FIXTURES.resolve("gemm.onnx") + ","
                + FIXTURES.resolve("matmul_add.onnx"), "--batches", "1,4", "--runs", "5", "--warmup", "1",
                "--out", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("gemm.onnx").contains("batch    4");
        assertThat(Files.readString(json)).contains("\"benchmark\": \"onnx\"").contains("medianMs");
        oneLineUsageError(run("bench", "onnx", "--onnx", tmp.resolve("none.onnx").toString()), "no such file");
        oneLineUsageError(run("bench", "onnx", "--onnx", FIXTURES.resolve("not_onnx.onnx").toString(), "--out",
                json.toString()), "ONNX Runtime cannot load it");
    }
}
