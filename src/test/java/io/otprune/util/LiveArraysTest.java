package io.otprune.util;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class LiveArraysTest {
    @Test
    void countsArraysOfOpenManagersAndForgetsClosedOnes() {
        int before = LiveArrays.count();
        try (NDManager m = NDManager.newBaseManager()) {
            m.zeros(new ai.djl.ndarray.types.Shape(2));
            try (NDManager sub = m.newSubManager()) {
                sub.ones(new ai.djl.ndarray.types.Shape(3));
                sub.ones(new ai.djl.ndarray.types.Shape(3));
                assertThat(LiveArrays.count()).isEqualTo(before + 3);
            }
            assertThat(LiveArrays.count()).isEqualTo(before + 1);
        }
        assertThat(LiveArrays.count()).isEqualTo(before);
    }
}
