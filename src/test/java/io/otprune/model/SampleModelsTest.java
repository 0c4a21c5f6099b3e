package io.otprune.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.otprune.data.Dataset;
import io.otprune.data.Datasets;
import io.otprune.train.Evaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed sample models: they load (digest and shapes checked), their figures are consistent, they meet the
 * accuracy floors, and evaluation reproduces the accuracy in model.json (on the full Fashion-MNIST when it is
 * installed: .ci/run installs it).
 */
class SampleModelsTest {
    static final Path ROOT = Path.of(System.getProperty("otprune.repo", ".")).resolve("sample-models");
    static final Map<String, Double> FLOOR = Map.of("mlp-300-100-fmnist", 0.885, "lenet5-fmnist", 0.905,
            "vgg-small-fmnist", 0.92, "resnet20-fmnist", 0.92, "lenet5-mnist", 0.9);

    @ParameterizedTest
    @ValueSource(strings = {"mlp-300-100-fmnist", "lenet5-fmnist", "vgg-small-fmnist", "resnet20-fmnist", "lenet5-mnist"})
    void sampleModelLoadsAndReproducesItsAccuracy(String name) throws Exception {
        Path dir = ROOT.resolve(name);
        assertThat(dir.resolve("model.json")).exists();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ModelStore.Loaded l = ModelStore.load(dir, m);
            ModelInfo info = l.info();
            assertThat(info.params()).isEqualTo(l.network().paramCount());
            assertThat(info.flops()).isEqualTo(l.network().macs());
            assertThat(info.trainingCommand()).startsWith("otprune train --model " + info.name());
            assertThat(info.testAccuracy()).isGreaterThanOrEqualTo(FLOOR.get(name));
            boolean full = info.dataset().equals(Datasets.FASHION);
            if (full) {
                assertThat(info.testSamples()).isEqualTo(10_000);
                assumeThat(Files.isDirectory(Datasets.fashionDir()))
                        .as("full Fashion-MNIST installed (apt-get install dataset-fashion-mnist)").isTrue();
            }
            Dataset d = Datasets.load(info.dataset());
            Evaluation ev = Evaluation.of(l.network(), m, d.test(), info.normalization());
            assertThat(ev.accuracy()).isCloseTo(info.testAccuracy(), org.assertj.core.data.Offset.offset(0.001));
        }
    }
}
