package io.otprune.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineThreadsTest {
    @Test
    void smallNetworksTakeOneThreadOthersTheEngineDefault() {
        assertThat(EngineThreads.threadsFor(266_200, 2)).isEqualTo(1); // mlp-300-100
        assertThat(EngineThreads.threadsFor(2_293_000, 2)).isEqualTo(2); // lenet5
        assertThat(EngineThreads.threadsFor(2_293_000, 8)).isEqualTo(8);
        assertThat(EngineThreads.threadsFor(EngineThreads.SMALL_NETWORK_MACS, 4)).isEqualTo(4);
    }

    @Test
    void theEnvironmentOrDjlsPropertyDecideInstead() {
        assertThat(EngineThreads.fixedBy(Map.of(), null)).isNull();
        assertThat(EngineThreads.fixedBy(Map.of("OMP_NUM_THREADS", "2"), null)).contains("OMP_NUM_THREADS");
        assertThat(EngineThreads.fixedBy(Map.of(), "3")).contains("ai.djl.pytorch.num_threads");
    }

    @Test
    void aRunSetsTheCountOnItsThreadAndALargerNetworkGetsTheDefaultBack() {
        org.junit.jupiter.api.Assumptions.assumeTrue(EngineThreads.fixedBy(System.getenv(),
                System.getProperty("ai.djl.pytorch.num_threads")) == null, "threads fixed by the environment");
        ai.djl.engine.Engine.getInstance(); // loads the native library JniUtils calls
        int before = JniUtils.getNumThreads();
        EngineThreads.applyFor(41_000_000, Device.cpu());
        int engineDefault = JniUtils.getNumThreads();
        try {
            assertThat(EngineThreads.applyFor(266_200, Device.cpu())).startsWith("1");
            assertThat(JniUtils.getNumThreads()).isEqualTo(1);
            EngineThreads.restore();
            assertThat(JniUtils.getNumThreads()).isEqualTo(engineDefault);
            EngineThreads.applyFor(266_200, Device.cpu());
            EngineThreads.applyFor(41_000_000, Device.cpu());
            // the count the engine chose before any run changed it (a run of a small network may have run before)
            assertThat(JniUtils.getNumThreads()).isEqualTo(engineDefault).isEqualTo(EngineThreads.engineDefault());
        } finally {
            JniUtils.setNumThreads(before);
        }
    }
}
