package io.otprune.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelCropTest {

    @Test
    void keepsOnlyTheTapsThatReadData() {
        assertThat(KernelCrop.axis(1, 3, 1, 1, 1)).containsExactly(1, 2, 0); // 1x1 input: the centre tap
        assertThat(KernelCrop.axis(2, 3, 2, 1, 1)).containsExactly(1, 3, 0); // 2x2, stride 2: the lower two
        assertThat(KernelCrop.axis(1, 7, 1, 3, 1)).containsExactly(3, 4, 0);
        assertThat(KernelCrop.axis(32, 3, 1, 1, 1)).isNull(); // every tap reads data
        assertThat(KernelCrop.axis(4, 1, 1, 0, 1)).isNull();
        assertThat(KernelCrop.of(Ops.Conv.of(512, 512, 3, 1, 1, false), 1, 1))
                .isEqualTo(new KernelCrop(1, 2, 0, 1, 2, 0));
        assertThat(KernelCrop.of(Ops.Conv.of(64, 64, 3, 1, 1, false), 8, 8)).isNull();
    }

    /** Every conv shape small enough to enumerate: the cropped conv gives the full one's output and gradients. */
    @Test
    void croppedConvolutionEqualsTheFullOneWithItsGradients() {
        SplittableRandom r = new SplittableRandom(7);
        int cropped = 0;
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Engine.getInstance().setRandomSeed(3);
            for (int n = 1; n <= 5; n++) {
                for (int k = 1; k <= 5; k++) {
                    for (int s = 1; s <= 3; s++) {
                        for (int p = 0; p <= 3; p++) {
                            for (int d = 1; d <= 2; d++) {
                                if (n + 2 * p - d * (k - 1) - 1 < 0) {
                                    continue;
                                }
                                int w = 1 + r.nextInt(4);
                                Ops.Conv op = new Ops.Conv(3, 2, new int[] {k, 2}, new int[] {s, 1}, new int[] {p, 1},
                                        new int[] {d, 1}, 1, false);
                                KernelCrop c = KernelCrop.of(op, n, w);
                                if (c != null) {
                                    cropped++;
                                    assertSameAsFull(m, op, c, n, w);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(cropped).isGreaterThan(50);
    }

    private static void assertSameAsFull(NDManager m, Ops.Conv op, KernelCrop c, int h, int w) {
        try (NDManager sub = m.newSubManager()) {
            NDArray x = sub.randomNormal(new Shape(2, op.in(), h, w));
            NDArray weight = sub.randomNormal(new Shape(op.out(), op.in(), op.kernel()[0], op.kernel()[1]));
            Shape stride = new Shape(op.stride()[0], op.stride()[1]);
            Shape dil = new Shape(op.dilation()[0], op.dilation()[1]);
            NDArray[] full = convAndGrads(x, weight, k -> Conv2d.conv2d(x, k, null, stride,
                    new Shape(op.pad()[0], op.pad()[1]), dil, 1).singletonOrThrow());
            NDArray[] crop = convAndGrads(x, weight, k -> Conv2d.conv2d(x, c.kernel(k), null, stride, c.padding(), dil, 1).singletonOrThrow());
            String what = op + " on " + h + "x" + w + " cropped " + c;
            assertThat(crop[0].getShape()).as(what).isEqualTo(full[0].getShape());
            assertThat(crop[0].sub(full[0]).abs().max().getFloat()).as(what).isLessThan(1e-4f);
            assertThat(crop[1].sub(full[1]).abs().max().getFloat()).as(what + " (weight gradient)").isLessThan(1e-4f);
            assertThat(crop[2].sub(full[2]).abs().max().getFloat()).as(what + " (input gradient)").isLessThan(1e-4f);
        }
    }

    /** Output, weight gradient and input gradient of sum(conv · fixed weights). */
    private static NDArray[] convAndGrads(NDArray x0, NDArray w0, java.util.function.UnaryOperator<NDArray> conv) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = conv.apply(w);
            NDArray probe = y.getManager().arange((float) y.size()).reshape(y.getShape()).sin();
            gc.backward(y.mul(probe).sum());
            return new NDArray[] {y.stopGradient(), w.getGradient().duplicate(), x.getGradient().duplicate()};
        }
    }
}
