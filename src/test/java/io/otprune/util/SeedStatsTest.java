package io.otprune.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SeedStatsTest {

    @Test
    void meanAndSampleDeviation() {
        SeedStats s = SeedStats.of(0.91, 0.92, 0.93);
        assertThat(s.mean()).isCloseTo(0.92, within(1e-12));
        assertThat(s.std()).isCloseTo(0.01, within(1e-12)); // n − 1 in the denominator
        assertThat(s.n()).isEqualTo(3);
        assertThat(s.points()).isEqualTo("92.00 ± 1.00");
        assertThat(SeedStats.of(0.9).std()).isZero();
        assertThat(SeedStats.of(0.9).points()).isEqualTo("90.00");
    }

    @Test
    void separatedOnlyBeyondBothSpreads() {
        SeedStats a = SeedStats.of(0.90, 0.91, 0.92); // 0.91 ± 0.01
        assertThat(a.separatedFrom(SeedStats.of(0.93, 0.94, 0.95))).isTrue(); // 3 points apart > 1 + 1
        assertThat(a.separatedFrom(SeedStats.of(0.915, 0.92, 0.925))).isFalse(); // 1 apart < 1 + 0.5
        assertThat(SeedStats.of(0.5).separatedFrom(SeedStats.of(0.9))).isFalse(); // one seed tells nothing
    }
}
