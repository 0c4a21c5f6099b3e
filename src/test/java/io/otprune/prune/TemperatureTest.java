package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TemperatureTest {

    @Test
    void theTargetSharpnessRisesFromTenToEightyPercentOfThePrunePhaseByDefault() {
        Temperature t = new Temperature(PruneConfig.TemperatureMode.AUTO, 0.5, 1000);
        t.update(1, 0.2, 1); // the first measurement sets the start
        assertThat(t.targetSharpness(50)).isEqualTo(0.2);
        assertThat(t.targetSharpness(450)).isCloseTo(0.2 + (Temperature.TARGET_SHARPNESS - 0.2) * 0.5, within(1e-12));
        assertThat(t.targetSharpness(800)).isCloseTo(Temperature.TARGET_SHARPNESS, within(1e-12));
        assertThat(t.targetSharpness(1000)).isCloseTo(Temperature.TARGET_SHARPNESS, within(1e-12));
    }

    @Test
    void epsilonFallsOnlyWhileTheMasksAreSofterThanTheTarget() {
        Temperature t = new Temperature(PruneConfig.TemperatureMode.AUTO, 0.5, 1000);
        t.update(1, 0.2, 1);
        t.update(100, 0.9, 10); // sharper than the target: ε holds
        assertThat(t.value()).isEqualTo(0.5);
        t.update(900, 0.9, 10); // softer than 0.995: ε shrinks by exp(−12/1000 · 10)
        assertThat(t.value()).isCloseTo(0.5 * Math.exp(-0.12), within(1e-12));
    }

    @Test
    void theRampEndPropertyIsCheckedAndDefaultsToEightyPercent() {
        assertThat(Temperature.rampEnd(null)).isEqualTo(0.8);
        assertThat(Temperature.rampEnd(" ")).isEqualTo(0.8);
        assertThat(Temperature.rampEnd("0.5")).isEqualTo(0.5);
        assertThatThrownBy(() -> Temperature.rampEnd("0.05")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("otprune.sharpnessRampEnd");
        assertThatThrownBy(() -> Temperature.rampEnd("1.5")).isInstanceOf(IllegalArgumentException.class);
    }
}
