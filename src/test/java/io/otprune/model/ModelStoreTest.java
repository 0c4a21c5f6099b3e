package io.otprune.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.otprune.data.Datasets;
import io.otprune.data.Normalization;
import io.otprune.util.Json;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @TempDir
    Path tmp;

    static ModelInfo info(Network n) {
        return ModelInfo.builder().name("test").network(n.graph()).classNames(Datasets.FASHION_CLASSES)
                .dataset("fashion-mnist-small").normalization(new Normalization(0.286, 0.353)).testAccuracy(0.5)
                .testSamples(2000).denseTestAccuracy(0.5).trainingCommand("test").seed(1).versions(Map.of())
                .createdAt("now").build();
    }

    private Path saved(String id, String name) throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = new Network(Architectures.graph(id, 1, 28, 28, 10));
            n.initialize(m);
            Path dir = tmp.resolve(name);
            ModelStore.save(dir, n, info(n), false);
            return dir;
        }
    }

    @Test
    void roundTripGivesTheSameOutputs() throws Exception {
        for (String id : Architectures.ids()) {
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                Network n = new Network(Architectures.graph(id, 1, 28, 28, 10));
                n.initialize(m);
                NDArray x = m.randomNormal(n.inputShape(4));
                float[] before = n.forward(new ParameterStore(m, false), x, false).toFloatArray();
                Path dir = tmp.resolve(id);
                ModelInfo saved = ModelStore.save(dir, n, info(n), false);
                assertThat(saved.paramsSha256()).hasSize(64);
                ModelStore.Loaded l = ModelStore.load(dir, m);
                float[] after = l.network().forward(new ParameterStore(m, false), x, false).toFloatArray();
                assertThat(after).as(id).containsExactly(before);
                assertThat(Json.COMPACT.toJson(l.info().graph())).isEqualTo(Json.COMPACT.toJson(n.graph()));
                assertThat(l.info().format()).isEqualTo(ModelInfo.FORMAT);
                assertThat(l.info().classNames()).isEqualTo(Datasets.FASHION_CLASSES);
            }
        }
    }

    @Test
    void neverOverwritesAnExistingFolderUnlessAsked() throws Exception {
        Path dir = saved("mlp-300-100", "m");
        byte[] before = Files.readAllBytes(dir.resolve(ModelInfo.PARAMS_FILE));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = new Network(Architectures.graph("mlp-300-100", 1, 28, 28, 10));
            n.initialize(m);
            assertThatThrownBy(() -> ModelStore.save(dir, n, info(n), false)).hasMessageContaining("exists");
            assertThat(Files.readAllBytes(dir.resolve(ModelInfo.PARAMS_FILE))).isEqualTo(before);
            ModelStore.save(dir, n, info(n), true);
            assertThat(Files.readAllBytes(dir.resolve(ModelInfo.PARAMS_FILE))).isNotEqualTo(before);
            try (var s = Files.list(tmp)) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("m");
            }
        }
    }

    @Test
    void corruptParamsAreDetected() throws Exception {
        Path dir = saved("lenet5", "c");
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(ModelInfo.PARAMS_FILE).toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write(new byte[] {1, 2, 3, 4});
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThatThrownBy(() -> ModelStore.load(dir, m)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("model.params").hasMessageContaining("corrupt");
        }
    }

    @Test
    void truncatedParamsWithoutDigestAreDetected() throws Exception {
        Path dir = saved("lenet5", "t");
        Path json = dir.resolve(ModelInfo.FILE);
        Files.writeString(json, Files.readString(json).replaceAll("\"paramsSha256\": \"[0-9a-f]+\",", ""));
        Path params = dir.resolve(ModelInfo.PARAMS_FILE);
        byte[] b = Files.readAllBytes(params);
        Files.write(params, java.util.Arrays.copyOf(b, b.length / 3));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThatThrownBy(() -> ModelStore.load(dir, m)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining(params.toString());
        }
    }

    @Test
    void wrongGraphOrShapeIsReported() throws Exception {
        Path dir = saved("lenet5", "w");
        Path json = dir.resolve(ModelInfo.FILE);
        String text = Files.readString(json).replaceAll("\"paramsSha256\": \"[0-9a-f]+\",", "");
        // conv1 narrower in the graph than in the weights: the graph is consistent, the shapes are not
        String narrow = text.replaceFirst("\"out\": 20,", "\"out\": 10,").replaceFirst("\"in\": 20,", "\"in\": 10,");
        assertThat(narrow).isNotEqualTo(text);
        Files.writeString(json, narrow);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThatThrownBy(() -> ModelStore.load(dir, m)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("shape");
        }
        // a graph whose widths do not chain is refused when read, naming the node
        Files.writeString(json, text.replaceFirst("\"out\": 20,", "\"out\": 10,"));
        assertThatThrownBy(() -> ModelStore.readInfo(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("conv2").hasMessageContaining("input channels");
        Files.writeString(json, text.replaceFirst("\"type\": \"relu\"", "\"type\": \"gelu\""));
        assertThatThrownBy(() -> ModelStore.readInfo(dir)).hasMessageContaining("unknown op type 'gelu'");
    }

    /** A model folder written before graphs (format 1: a zoo id and widths, the old block tree's weights). */
    @Test
    void formatOneFoldersLoadAsGraphs() throws Exception {
        Path old = Path.of("sample-models/lenet5-fmnist");
        ModelInfo info = ModelStore.readInfo(old);
        assertThat(info.format()).isEqualTo(1);
        assertThat(info.name()).isEqualTo("lenet5");
        assertThat(info.graph().params()).isEqualTo(431_080);
        Path dir = Files.createDirectory(tmp.resolve("old"));
        Files.copy(old.resolve(ModelInfo.PARAMS_FILE), dir.resolve(ModelInfo.PARAMS_FILE));
        String text = Files.readString(old.resolve(ModelInfo.FILE)).replaceAll("\"paramsSha256\": \"[0-9a-f]+\",", "");
        // other widths: every shape differs
        Files.writeString(dir.resolve(ModelInfo.FILE), text.replaceAll("\"widths\": \\[[^\\]]*\\]",
                "\"widths\": [10, 50, 500]"));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThatThrownBy(() -> ModelStore.load(dir, m)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("shape");
        }
        // lenet5 weights under an mlp-300-100 description
        Files.writeString(dir.resolve(ModelInfo.FILE), text.replace("\"id\": \"lenet5\"", "\"id\": \"mlp-300-100\"")
                .replaceAll("\"widths\": \\[[^\\]]*\\]", "\"widths\": [300, 100]"));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThatThrownBy(() -> ModelStore.load(dir, m)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("mlp-300-100");
        }
        Files.writeString(dir.resolve(ModelInfo.FILE), text.replace("\"id\": \"lenet5\"", "\"id\": \"alexnet\""));
        assertThatThrownBy(() -> ModelStore.readInfo(dir)).hasMessageContaining("unknown architecture 'alexnet'");
        // saved again, it is a format-2 folder with the same outputs
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ModelStore.Loaded l = ModelStore.load(old, m);
            NDArray x = m.randomNormal(l.network().inputShape(3));
            float[] before = l.network().forward(new ParameterStore(m, false), x, false).toFloatArray();
            ModelStore.save(tmp.resolve("new"), l.network(), l.info(), false);
            ModelStore.Loaded again = ModelStore.load(tmp.resolve("new"), m);
            assertThat(again.info().format()).isEqualTo(ModelInfo.FORMAT);
            assertThat(again.info().architecture()).isNull();
            assertThat(again.network().forward(new ParameterStore(m, false), x, false).toFloatArray())
                    .containsExactly(before);
        }
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        assertThatThrownBy(() -> ModelStore.readInfo(tmp.resolve("none"))).hasMessageContaining("not a model folder");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThatThrownBy(() -> ModelStore.readInfo(empty)).hasMessageContaining("model.json: missing");
        Path dir = saved("mlp-300-100", "p");
        Files.delete(dir.resolve(ModelInfo.PARAMS_FILE));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThatThrownBy(() -> ModelStore.load(dir, m)).hasMessageContaining("missing parameter file");
        }
        Files.writeString(dir.resolve(ModelInfo.FILE), "{not json");
        assertThatThrownBy(() -> ModelStore.readInfo(dir)).hasMessageContaining("not valid model JSON");
    }

    @Test
    void widthsChangeTheArchitecture() {
        Graph narrow = Architectures.graph("lenet5", List.of(5, 7, 30), List.of(), 1, 28, 28, 10);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = new Network(narrow);
            n.initialize(m);
            assertThat(n.paramCount()).isEqualTo(5 * 25 + 5 + 7 * 5 * 25 + 7 + 7 * 16 * 30 + 30 + 30 * 10 + 10);
        }
    }
}
