package io.otprune.model;

import static io.otprune.model.OnnxTestModels.ints;
import static io.otprune.model.OnnxTestModels.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.otprune.prune.ChannelGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the fixtures do not show: padding forms, export patterns, sample models, channel tracing of imports. */
class OnnxImportTest {
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

    /** Imports a hand-made model (checked against ONNX Runtime), exports it again (checked again). */
    OnnxImport.Result roundTrip(String name, ModelProto m) throws Exception {
        Path file = tmp.resolve(name + ".onnx");
        Files.write(file, m.toByteArray());
        OnnxImport.Result r = OnnxImport.importTo(file, tmp.resolve(name), null, manager);
        assertThat(r.check().ok()).as(r.check().line()).isTrue();
        Network net = ModelStore.load(tmp.resolve(name), manager).network();
        OnnxRuntimeCheck.Result back = OnnxExport.export(net, name, tmp.resolve(name + ".out.onnx"), manager,
                List.of(OnnxRuntimeCheck.random(net.graph(), 3, 5)), false);
        assertThat(back.ok()).as(back.line()).isTrue();
        return r;
    }

    static List<String> opTypes(Graph g) {
        return g.nodes().stream().map(n -> n.op().type()).toList();
    }

    @Test
    void unevenConvPaddingBecomesAZeroPad() throws Exception {
        OnnxImport.Result r = roundTrip("uneven", OnnxTestModels.convOnly(8, 9, ints("pads", 0, 1, 2, 2)));
        assertThat(opTypes(r.info().graph())).containsExactly("zero-pad", "conv", "flatten");
        Ops.ZeroPad pad = (Ops.ZeroPad) r.info().graph().nodes().get(0).op();
        assertThat(pad).isEqualTo(new Ops.ZeroPad(0, 0, 2, 1));
        assertThat(((Ops.Conv) r.info().graph().nodes().get(1).op()).pad()).containsExactly(0, 1);
    }

    @Test
    void autoPadSameUpper() throws Exception {
        OnnxImport.Result r = roundTrip("same", OnnxTestModels.convOnly(4, 4, string("auto_pad", "SAME_UPPER"),
                ints("strides", 2, 2)));
        // 8 wide, stride 2, kernel 3: one column of padding in all, at the end (SAME_UPPER)
        assertThat(r.info().graph().nodes().get(0).op()).isEqualTo(new Ops.ZeroPad(0, 0, 1, 1));
    }

    static ModelProto padThenPool(String pool, boolean relu) {
        GraphProto.Builder g = OnnxTestModels.conv(ints("pads", 1, 1, 1, 1))
                .addInitializer(OnnxConstant.longTensor("pads", new long[] {8}, new long[] {0, 0, 1, 1, 0, 0, 1, 1}))
                .addNode(NodeProto.newBuilder().setOpType(relu ? "Relu" : "Identity").setName("act").addInput("y")
                        .addOutput("a"))
                .addNode(NodeProto.newBuilder().setOpType("Pad").setName("pad").addInput("a").addInput("pads")
                        .addOutput("p"))
                .addNode(NodeProto.newBuilder().setOpType(pool).setName("pool").addInput("p").addOutput("z")
                        .addAttribute(ints("kernel_shape", 3, 3)).addAttribute(ints("strides", 2, 2)))
                .addOutput(OnnxTestModels.value("z", "N", 4, 4, 4));
        return OnnxTestModels.model(g, 13);
    }

    @Test
    void zeroPadBeforeMaxPoolOnNegativeValuesIsNotExported() throws Exception {
        // ONNX Runtime 1.20 fuses the Pad into the MaxPool (-inf padding): the check sees it and keeps no file
        Path file = tmp.resolve("p.onnx");
        Files.write(file, padThenPool("MaxPool", false).toByteArray());
        OnnxImport.Result r = OnnxImport.importTo(file, tmp.resolve("p"), null, manager);
        assertThat(r.check().ok()).isTrue();
        Network net = ModelStore.load(tmp.resolve("p"), manager).network();
        Path out = tmp.resolve("p.out.onnx");
        assertThatThrownBy(() -> OnnxExport.export(net, "p", out, manager,
                List.of(OnnxRuntimeCheck.random(net.graph(), 3, 5)), false))
                .hasMessageContaining("not written").hasMessageContaining("-inf padding");
        assertThat(out).doesNotExist();
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void padBeforeMaxPoolStaysAZeroPadAndBeforeAvgPoolJoinsIt() throws Exception {
        // max pooling pads with -inf: zeros in front of it are values, not padding (after a ReLU, as usual)
        OnnxImport.Result max = roundTrip("MaxPool", padThenPool("MaxPool", true));
        assertThat(opTypes(max.info().graph())).containsExactly("conv", "relu", "zero-pad", "max-pool", "flatten");
        // an average pool counts the zeros: they join its own padding (count_include_pad)
        OnnxImport.Result avg = roundTrip("AveragePool", padThenPool("AveragePool", false));
        assertThat(opTypes(avg.info().graph())).containsExactly("conv", "avg-pool", "flatten");
        Ops.AvgPool p = (Ops.AvgPool) avg.info().graph().nodes().get(1).op();
        assertThat(p.pad()).containsExactly(1, 1);
        assertThat(p.countPad()).isTrue();
    }

    @Test
    void refusalsNameTheReason() throws Exception {
        Path file = tmp.resolve("dilated_pool.onnx");
        GraphProto.Builder g = OnnxTestModels.conv(ints("pads", 1, 1, 1, 1))
                .addNode(NodeProto.newBuilder().setOpType("MaxPool").setName("pool").addInput("y").addOutput("z")
                        .addAttribute(ints("kernel_shape", 2, 2)).addAttribute(ints("pads", 0, 0, 1, 1)))
                .addOutput(OnnxTestModels.value("z", "N", 4, 8, 8));
        Files.write(file, OnnxTestModels.model(g, 13).toByteArray());
        assertThatThrownBy(() -> OnnxImport.read(file)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith("dilated_pool.onnx: unsupported op 'MaxPool' at node pool (opset 13): pads");
        Files.write(file, OnnxTestModels.convThen("Relu", "r", 18).toByteArray());
        assertThatThrownBy(() -> OnnxImport.read(file)).hasMessageContaining("opset 18 is not supported");
    }

    @Test
    void everySampleModelExportsAndComesBack() throws Exception {
        try (var dirs = Files.list(Path.of("sample-models"))) {
            for (Path dir : dirs.sorted().toList()) {
                ModelStore.Loaded m = ModelStore.load(dir, manager);
                Path file = tmp.resolve(dir.getFileName() + ".onnx");
                OnnxRuntimeCheck.Result check = OnnxExport.export(m.network(), m.info().name(), file, manager,
                        List.of(OnnxRuntimeCheck.random(m.info().graph(), 2, 3)), false);
                assertThat(check.ok()).as(dir + ": " + check.line()).isTrue();
                OnnxImport.Imported back = OnnxImport.read(file);
                assertThat(back.graph().params()).as(dir.toString()).isEqualTo(m.info().graph().params());
                assertThat(back.graph().macs()).as(dir.toString()).isEqualTo(m.info().graph().macs());
                assertThat(opTypes(back.graph())).as(dir.toString()).isEqualTo(opTypes(m.info().graph()));
            }
        }
    }

    @Test
    void importedGraphsTraceIntoChannelGroups() throws Exception {
        // the SE block from linear layers: its gate's channels are the map's (Unflatten passes channels on)
        OnnxImport.Imported se = OnnxImport.read(Path.of("src/test/resources/onnx/se_block_linear.onnx"));
        assertThat(opTypes(se.graph())).contains("unflatten", "mul");
        ChannelGraph cg = ChannelGraph.trace(se.network(manager));
        assertThat(cg.prunableSpaces()).isNotEmpty();
        OnnxImport.Imported hs = OnnxImport.read(Path.of("src/test/resources/onnx/hardswish_opset13.onnx"));
        assertThat(opTypes(hs.graph())).contains("hard-swish").doesNotContain("hard-sigmoid", "mul");
        OnnxImport.Imported silu = OnnxImport.read(Path.of("src/test/resources/onnx/silu.onnx"));
        assertThat(opTypes(silu.graph())).contains("silu").doesNotContain("sigmoid", "mul");
        OnnxImport.Imported mm = OnnxImport.read(Path.of("src/test/resources/onnx/matmul_add.onnx"));
        assertThat(opTypes(mm.graph())).containsExactly("flatten", "linear", "relu", "linear");
    }
}
