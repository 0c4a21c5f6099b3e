package io.otprune.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The oneDNN switch and the per-shape guard, on whatever CPU runs the tests (with or without the Zen 5 fault). */
class ConvolutionGuardTest {
    private boolean wasEngaged;

    @BeforeEach
    void remember() {
        wasEngaged = ConvolutionGuard.engaged();
    }

    @AfterEach
    void restore() {
        ConvolutionGuard.resetForTest(wasEngaged);
    }

    /** Every figure the tests check assumes the engine's convolutions are right here, or kept right by the guard. */
    @Test
    void convolutionsAreRightOrGuardedOnThisMachine() {
        assertThat(ConvolutionGuard.problem()).as("set " + ConvolutionGuard.FIX + " on this machine").isNull();
    }

    @Test
    void theSwitchTurnsOneDnnOffAndOnAgain() {
        OneDnnSwitch s = OneDnnSwitch.open();
        assertThat(s).as("libtorch's entry points for the oneDNN flag").isNotNull();
        assertThat(s.enabled()).isTrue();
        s.set(false);
        try {
            assertThat(s.enabled()).isFalse();
        } finally {
            s.set(true);
        }
        assertThat(s.enabled()).isTrue();
    }

    @Test
    void withOneDnnOffA20ChannelConvolutionMatchesAPlainLoop() {
        OneDnnSwitch s = OneDnnSwitch.open();
        s.set(false);
        try {
            assertThat(errorAgainstLoop()).isLessThan(1e-3);
        } finally {
            s.set(true);
        }
    }

    @Test
    void theGuardRunsRightShapesDirectlyAndPadsWrongOnes() {
        ConvolutionGuard.resetForTest(true); // oneDNN on, every shape unseen
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Shape one = new Shape(1, 1);
            // 32 channels in and out: right on every CPU seen, the Zen 5 included
            assertThat(ConvolutionGuard.route(m.zeros(new Shape(4, 32, 14, 14)), m.zeros(new Shape(32, 32, 3, 3)),
                    one, one, one, 1)).isIn(null, new ConvolutionGuard.Route(-1, -1));
            // lenet5's conv2 (20 in, 50 out): padded to multiples of 16 by the guard's rule, which does not try the shape
            // as it is (the fault's wrong gradients come only on some draws), so on every machine, the Intel and AMD
            // CPUs without the fault included
            ConvolutionGuard.Route lenet = ConvolutionGuard.route(m.zeros(new Shape(2, 20, 12, 12)),
                    m.zeros(new Shape(50, 20, 5, 5)), one, new Shape(0, 0), one, 1);
            assertThat(lenet).isEqualTo(new ConvolutionGuard.Route(32, 64));
            assertThat(ConvolutionGuard.turnedOff()).isNull();
            assertThat(OneDnnSwitch.open().enabled()).isTrue();
            assertThat(ConvolutionGuard.errorAgainstLoop(true)).as("through the guard").isLessThan(1e-3);
        }
    }

    @Test
    void aPaddedConvolutionHasTheSameGradientsAsTheDirectOne() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(3, 20, 9, 9)), w = m.randomNormal(new Shape(24, 20, 3, 3));
            NDArray b = m.randomNormal(new Shape(24)), g = m.randomNormal(new Shape(3, 24, 5, 5));
            float[][] direct = gradients(x, w, b, g, new ConvolutionGuard.Route(-1, -1));
            float[][] padded = gradients(x, w, b, g, new ConvolutionGuard.Route(32, 32));
            OneDnnSwitch s = OneDnnSwitch.open();
            s.set(false); // the reference: PyTorch's own kernels, right on every machine seen
            float[][] reference;
            try {
                reference = gradients(x, w, b, g, new ConvolutionGuard.Route(-1, -1));
            } finally {
                s.set(true);
            }
            boolean faulty = ConvolutionGuard.errorAgainstLoop(false) > 1e-3;
            for (int k = 0; k < 4; k++) {
                assertThat(padded[k]).as("padded, part %d", k).containsExactly(reference[k], within(2e-4f));
                if (!faulty) {
                    assertThat(direct[k]).as("direct, part %d", k).containsExactly(reference[k], within(2e-4f));
                }
            }
        }
    }

    /** Output and the gradients of x, w and b for sum(y * g), stride 2 and padding 1. */
    private static float[][] gradients(NDArray x0, NDArray w0, NDArray b0, NDArray g, ConvolutionGuard.Route route) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray x = x0.duplicate(), w = w0.duplicate(), b = b0.duplicate();
            for (NDArray a : new NDArray[] {x, w, b}) {
                a.setRequiresGradient(true);
            }
            NDArray y = route.apply(x, w, b, new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1);
            gc.backward(y.mul(g).sum());
            return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray(), w.getGradient().toFloatArray(),
                b.getGradient().toFloatArray()};
        }
    }

    @Test
    void aShapeCheckedInsideATrainingStepLeavesTheStepsGradientsAlone() {
        ConvolutionGuard.resetForTest(true);
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray a = m.create(new float[] {1, 2, 3});
            a.setRequiresGradient(true);
            NDArray y = a.mul(a);
            // a shape not seen before: checked on the guard's own thread while this collector is open
            ConvolutionGuard.route(m.zeros(new Shape(1, 3, 9, 9)), m.zeros(new Shape(5, 3, 3, 3)), new Shape(2, 2),
                    new Shape(1, 1), new Shape(1, 1), 1);
            gc.backward(y.sum());
            assertThat(a.getGradient().toFloatArray()).containsExactly(2f, 4f, 6f);
        }
    }

    private static double errorAgainstLoop() {
        return ConvolutionGuard.errorAgainstLoop(false);
    }
}
