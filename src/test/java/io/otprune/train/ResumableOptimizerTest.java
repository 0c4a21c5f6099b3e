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

    /**
     * The host step (what DTP's scores use on the CPU) is DJL's native step, both variants, with the applied change
     * left in the gradient's array; and a checkpoint written on one path resumes on the other.
     */
    @Test
    void hostStepIsTheNativeStepAndResumesAcrossPaths() {
        for (boolean shared : new boolean[] {false, true}) {
            ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(2, 500);
            java.util.Random random = new java.util.Random(3);
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                ResumableOptimizer tensor = make(shared), host = make(shared);
                NDArray w = m.randomUniform(0, 1, shape);
                float[] h = w.toFloatArray();
                for (int t = 0; t < 8; t++) {
                    if (t == 4) {
                        // save each path's state and restore it into a fresh optimizer of the other path
                        TrainState a = new TrainState(), b = new TrainState();
                        tensor.save(a, "o.", id -> id);
                        host.save(b, "o.", id -> id);
                        tensor = make(shared);
                        host = make(shared);
                        tensor.restore(b, "o.", java.util.Map.of("w", "w"), m);
                        host.restore(a, "o.", java.util.Map.of("w", "w"), m);
                    }
                    float[] g = new float[1000];
                    for (int i = 0; i < g.length; i++) {
                        g[i] = (float) random.nextGaussian() * (i % 7 + 1);
                    }
                    try (NDManager step = m.newSubManager()) {
                        tensor.update("w", w, step.create(g, shape));
                    }
                    float[] before = h.clone(), change = g.clone();
                    host.hostStep("w", shape, () -> {
                        double q = 0;
                        for (float v : g) {
                            q += (double) v * v;
                        }
                        return q / g.length;
                    }).apply(h, change, 0, h.length);
                    float[] expected = w.toFloatArray();
                    for (int i = 0; i < h.length; i++) {
                        assertThat(h[i]).as("shared %b, step %d, element %d", shared, t, i)
                                .isCloseTo(expected[i], within(1e-6f));
                        assertThat(change[i]).isEqualTo(h[i] - before[i]);
                    }
                }
                tensor.close();
                host.close();
            }
        }
    }

    private static ResumableOptimizer make(boolean shared) {
        return shared ? ResumableOptimizer.adamSharedSecondMoment(Tracker.fixed(0.05f))
                : ResumableOptimizer.adam(Tracker.fixed(0.05f), 0f);
    }
}
