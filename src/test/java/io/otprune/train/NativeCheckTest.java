package io.otprune.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every figure the tests check assumes the engine's convolutions are right on this machine (see NativeCheck). */
class NativeCheckTest {
    @Test
    void cpuConvolutionMatchesAPlainLoop() {
        assertThat(NativeCheck.convolutionProblem()).as("set " + NativeCheck.FIX + " on this machine").isNull();
    }
}
