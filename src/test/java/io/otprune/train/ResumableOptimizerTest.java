package io.otprune.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

/** Adam's step per element against the shared-second-moment variant DTP's scores can use (--score-step set). */
class ResumableOptimizerTest {

    private static float[] afterSteps(ResumableOptimizer opt, float[] gradient, int steps) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray w = m.zeros(new ai.djl.ndarray.types.Shape(gradient.length));
            for (int t = 0; t < steps; t++) {
                try (NDManager step = m.newSubManager()) {
                    opt.update("w", w, step.create(gradient));
                }
            }
            float[] out = w.toFloatArray();
            opt.close();
            return out;
        }
    }

    @Test
    void adamMovesEveryElementByTheRateWhateverItsGradient() {
        float[] w = afterSteps(ResumableOptimizer.adam(Tracker.fixed(0.1f), 0f), new float[] {1, 2, -3}, 3);
        assertThat(w[0]).isCloseTo(-0.3f, within(1e-4f));
        assertThat(w[1]).isCloseTo(-0.3f, within(1e-4f));
        assertThat(w[2]).isCloseTo(0.3f, within(1e-4f));
    }

    @Test
    void sharedSecondMomentMovesElementsInProportionToTheirGradients() {
        float[] g = {1, 2, -3};
        float[] w = afterSteps(ResumableOptimizer.adamSharedSecondMoment(Tracker.fixed(0.1f)), g, 3);
        // constant gradients: bias-corrected moments are g and mean(g²) = 14/3 at every step
        double rms = Math.sqrt(14.0 / 3);
        for (int i = 0; i < g.length; i++) {
            assertThat(w[i]).isCloseTo((float) (-3 * 0.1 * g[i] / rms), within(1e-4f));
        }
    }
}
