package io.otprune.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.otprune.data.Datasets;
import io.otprune.data.Normalization;
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
        return new ModelInfo(ModelInfo.FORMAT, n.spec(), Datasets.FASHION_CLASSES, "fashion-mnist-small",
                new Normalization(0.286, 0.353), 0.5, 2000, 0.5, n.paramCount(), n.macs(), 0, "test", 1, null, null,
                Map.of(), "now");
    }

    private Path saved(String id, String name) throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = Architectures.build(Architectures.defaultSpec(id, 1, 28, 28, 10));
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
                Network n = Architectures.build(Architectures.defaultSpec(id, 1, 28, 28, 10));
                n.initialize(m);
                NDArray x = m.randomNormal(n.inputShape(4));
                float[] before = n.forward(new ParameterStore(m, false), x, false).toFloatArray();
                Path dir = tmp.resolve(id);
                ModelInfo saved = ModelStore.save(dir, n, info(n), false);
                assertThat(saved.paramsSha256()).hasSize(64);
                ModelStore.Loaded l = ModelStore.load(dir, m);
                float[] after = l.network().forward(new ParameterStore(m, false), x, false).toFloatArray();
                assertThat(after).as(id).containsExactly(before);
                assertThat(l.info().architecture()).isEqualTo(n.spec());
                assertThat(l.info().classNames()).isEqualTo(Datasets.FASHION_CLASSES);
            }
        }
    }

    @Test
    void neverOverwritesAnExistingFolderUnlessAsked() throws Exception {
        Path dir = saved("mlp-300-100", "m");
        byte[] before = Files.readAllBytes(dir.resolve(ModelInfo.PARAMS_FILE));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = Architectures.build(Architectures.defaultSpec("mlp-300-100", 1, 28, 28, 10));
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
    void wrongArchitectureOrShapeIsReported() throws Exception {
        Path dir = saved("lenet5", "w");
        Path json = dir.resolve(ModelInfo.FILE);
        String text = Files.readString(json).replaceAll("\"paramsSha256\": \"[0-9a-f]+\",", "");
        // lenet5 weights under an mlp-300-100 description
        Files.writeString(json, text.replace("\"id\": \"lenet5\"", "\"id\": \"mlp-300-100\"")
                .replaceAll("\"widths\": \\[[^\\]]*\\]", "\"widths\": [300, 100]"));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThatThrownBy(() -> ModelStore.load(dir, m)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("mlp-300-100");
        }
        // same architecture, other widths: every shape differs
        Files.writeString(json, text.replaceAll("\"widths\": \\[[^\\]]*\\]", "\"widths\": [10, 50, 500]"));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThatThrownBy(() -> ModelStore.load(dir, m)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("shape");
        }
        Files.writeString(json, text.replace("\"id\": \"lenet5\"", "\"id\": \"alexnet\""));
        assertThatThrownBy(() -> ModelStore.readInfo(dir)).hasMessageContaining("unknown architecture 'alexnet'");
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
        ArchSpec narrow = new ArchSpec("lenet5", List.of(5, 7, 30), 1, 28, 28, 10);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = Architectures.build(narrow);
            n.initialize(m);
            assertThat(n.paramCount()).isEqualTo(5 * 25 + 5 + 7 * 5 * 25 + 7 + 7 * 16 * 30 + 30 + 30 * 10 + 10);
        }
    }
}
