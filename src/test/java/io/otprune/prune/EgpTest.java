package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EgpTest {

    @Test
    void equalEntropiesGiveEqualRatesAndLowEntropyLayersLoseMore() {
        long[] size = {10_000, 1_000};
        long[] take = Egp.allocate(new double[] {0.8, 0.8}, new double[] {0.1, 0.1}, size.clone(), size, 5_500);
        assertThat(take[0] + take[1]).isEqualTo(5_500);
        assertThat(take[0]).isEqualTo(5_000); // the same fraction of each layer
        long[] skewed = Egp.allocate(new double[] {0.8, 0.2}, new double[] {0.1, 0.1}, size.clone(), size, 5_500);
        assertThat(skewed[0] + skewed[1]).isEqualTo(5_500);
        assertThat(skewed[1] / 1_000.0).isGreaterThan(skewed[0] / 10_000.0);
    }

    @Test
    void floorsHoldAndOverflowGoesToTheOthers() {
        long[] size = {1_000, 1_000};
        // layer 1 at H = 0 would take everything: it stops at 1% kept, layer 0 gives the rest
        long[] take = Egp.allocate(new double[] {1.0, 0.0}, new double[] {0.1, 0.1}, size.clone(), size, 1_500);
        assertThat(take[1]).isEqualTo(990);
        assertThat(take[0]).isEqualTo(510);
        assertThatThrownBy(() -> Egp.allocate(new double[] {1, 1}, new double[] {1, 1}, size.clone(), size, 1_990))
                .hasMessageContaining("1%");
    }

    @Test
    void geometricPathEndsExactlyAtTheTarget() {
        assertThat(Egp.keptAfter(1_000, 0.9, 3, 3)).isEqualTo(100);
        assertThat(Egp.keptAfter(1_000, 0.9, 1, 2)).isEqualTo(Math.round(1_000 * Math.sqrt(0.1)));
    }
}
