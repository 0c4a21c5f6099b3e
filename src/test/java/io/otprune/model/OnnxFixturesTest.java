package io.otprune.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ONNX fixture of docs/onnx (src/test/resources/onnx): imported ones give the reference output through the
 * project's forward pass, save and load as model folders, and export back to a file that ONNX Runtime runs to the
 * same output (the round trip); refused ones fail in one line and write nothing.
 */
class OnnxFixturesTest {
    static final Path DIR = Path.of("src/test/resources/onnx");
    static NDManager manager;

    @TempDir
    Path tmp;

    @BeforeAll
    static void engine() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    record Fixture(String name, boolean imports, JsonObject json) {
        Path onnx() {
            return DIR.resolve(name + ".onnx");
        }

        long[] shape(String which) {
            List<Long> s = new ArrayList<>();
            json.getAsJsonObject(which).getAsJsonArray("shape").forEach(e -> s.add(e.getAsLong()));
            return s.stream().mapToLong(Long::longValue).toArray();
        }

        float[] floats(String which) throws IOException {
            return read(DIR.resolve(name + "." + which + ".bin"));
        }

        double tolerance() {
            JsonElement t = json.get("tolerance");
            return t == null ? 1e-4 : t.getAsDouble();
        }
    }

    static float[] read(Path bin) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    static List<Fixture> fixtures() throws IOException {
        JsonObject index = JsonParser.parseString(Files.readString(DIR.resolve("index.json"))).getAsJsonObject();
        List<Fixture> out = new ArrayList<>();
        for (JsonElement e : index.getAsJsonArray("fixtures")) {
            String name = e.getAsJsonObject().get("name").getAsString();
            JsonObject json = JsonParser.parseString(Files.readString(DIR.resolve(name + ".json"))).getAsJsonObject();
            out.add(new Fixture(name, e.getAsJsonObject().get("expect").getAsString().equals("import"), json));
        }
        return out;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs((double) a[i] - b[i]));
        }
        return d;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @TestFactory
    Stream<DynamicTest> everyFixture() throws IOException {
        List<Fixture> all = fixtures();
        assertThat(all).hasSizeGreaterThanOrEqualTo(46);
        return all.stream().map(f -> DynamicTest.dynamicTest(f.name() + " (" + (f.imports() ? "import" : "refuse")
                + ")", () -> {
                    if (f.imports()) {
                        importsAndRoundTrips(f);
                    } else {
                        isRefused(f);
                    }
                }));
    }

    void importsAndRoundTrips(Fixture f) throws Exception {
        Path dir = tmp.resolve(f.name());
        OnnxImport.Result r = OnnxImport.importTo(f.onnx(), dir, null, manager);
        assertThat(r.check().ok()).as(r.check().line()).isTrue();
        assertThat(r.info().name()).isEqualTo(f.name());
        assertThat(r.info().testAccuracy()).isNaN();
        assertThat(r.info().dataset()).isNull();

        // the project's forward pass of the saved folder gives the reference output
        ModelStore.Loaded loaded = ModelStore.load(dir, manager);
        long[] in = f.shape("input");
        float[] x = f.floats("input");
        float[] want = f.floats("output");
        OnnxRuntimeCheck.Batch batch = new OnnxRuntimeCheck.Batch(x, (int) in[0], "fixture input");
        float[] ours = OnnxRuntimeCheck.forward(loaded.network(), manager, batch);
        double tol = f.tolerance() * Math.max(1, maxAbs(want));
        assertThat(maxAbsDiff(ours, want)).as("forward vs reference").isLessThanOrEqualTo(tol);

        // export: checked by ONNX Runtime against the forward pass, and it reproduces the original file's output
        Path out = tmp.resolve(f.name() + ".out.onnx");
        OnnxRuntimeCheck.Result exported = OnnxExport.export(loaded.network(), f.name(), out, manager,
                List.of(batch, OnnxRuntimeCheck.random(loaded.network().graph(), 3, 7)), false);
        assertThat(exported.ok()).as(exported.line()).isTrue();
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(out.toString(),
                new OrtSession.SessionOptions())) {
            float[] theirs = OnnxRuntimeCheck.run(s, loaded.network().graph(), batch);
            assertThat(maxAbsDiff(theirs, want)).as("exported file vs the original's reference")
                    .isLessThanOrEqualTo(tol);
        }

        // and the exported file imports again to the same graph
        Path again = tmp.resolve(f.name() + ".again");
        OnnxImport.Result r2 = OnnxImport.importTo(out, again, f.name(), manager);
        assertThat(r2.imported().graph().params()).isEqualTo(r.imported().graph().params());
        assertThat(r2.imported().graph().macs()).isEqualTo(r.imported().graph().macs());
    }

    void isRefused(Fixture f) throws IOException {
        Path parent = Files.createDirectories(tmp.resolve("refused-" + f.name()));
        Path dir = parent.resolve("model");
        String expected = switch (f.name()) {
            case "transpose" -> "unsupported op 'Transpose' at node /1/Transpose (opset 13)";
            case "clip_attr_opset10" -> "opset 10 is not supported";
            case "empty" -> "empty file";
            default -> "not an ONNX model";
        };
        assertThatThrownBy(() -> OnnxImport.importTo(f.onnx(), dir, null, manager))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(f.name() + ".onnx: ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(dir).doesNotExist();
        try (Stream<Path> left = Files.list(parent)) {
            assertThat(left).isEmpty();
        }
    }

    @TestFactory
    Stream<DynamicTest> refusalsNameOpNodeAndOpset() {
        // ops the fixtures do not cover, in small hand-made files
        Map<String, String> cases = Map.of(
                "Transpose", "unsupported op 'Transpose' at node t (opset 13)",
                "Softmax", "unsupported op 'Softmax' at node t (opset 13)");
        return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            Path file = tmp.resolve(c.getKey() + ".onnx");
            Files.write(file, OnnxTestModels.convThen(c.getKey(), "t", 13).toByteArray());
            assertThatThrownBy(() -> OnnxImport.read(file)).isInstanceOf(ModelFormatException.class)
                    .hasMessage(c.getKey() + ".onnx: " + c.getValue());
        }));
    }
}
