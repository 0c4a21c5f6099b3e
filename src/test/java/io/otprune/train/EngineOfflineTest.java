package io.otprune.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch engine loads from the natives bundled on the classpath with DJL's offline mode on (set for the whole
 * suite in the surefire configuration), i.e. with no download.
 */
class EngineOfflineTest {
    @Test
    void engineLoadsOfflineFromBundledNatives() {
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(getClass().getClassLoader().getResource("native/lib/pytorch.properties"))
                .as("pytorch-native-cpu on the classpath").isNotNull();
        Engine engine = Engine.getEngine("PyTorch");
        assertThat(engine.getVersion()).isEqualTo("2.7.1");
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(m.create(new float[] {1, 2, 3}).sum().getFloat()).isEqualTo(6f);
        }
    }
}
