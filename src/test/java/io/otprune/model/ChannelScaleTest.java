package io.otprune.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A channel scale on a BN output is folded into the BN's affine terms ({@link Ops.BatchNorm#forwardScaled}): the
 * output, every gradient (the scale's, which DTP's channel scores read, γ's, β's and the input's) and the running
 * statistics must be those of the plain product of the BN output with the scale ({@link Op#forwardScaled}'s default).
 */
class ChannelScaleTest {

    @Test
    void batchNormFoldsTheScaleIntoItsAffineTermsWithTheProductsGradients() {
        for (boolean training : new boolean[] {true, false}) {
            for (int[] dims : new int[][] {{3, 5, 4, 4}, {6, 5}}) { // feature maps, and features (BN after Linear)
                try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                    Engine.getInstance().setRandomSeed(11);
                    long[] d = java.util.Arrays.stream(dims).asLongStream().toArray();
                    Shape shape = new Shape(d);
                    NDArray x = m.randomNormal(shape).mul(m.full(new Shape(), 3f)).add(m.full(new Shape(), 0.5f));
                    NDArray weights = m.randomNormal(shape); // the loss: a fixed weighting of the outputs
                    NDArray scale = m.randomUniform(0f, 1f, new Shape(5));
                    NDArray gamma = m.randomNormal(new Shape(5)), beta = m.randomNormal(new Shape(5));
                    Result folded = run(m, x, weights, scale, gamma, beta, training, true);
                    Result product = run(m, x, weights, scale, gamma, beta, training, false);
                    String what = (training ? "training" : "inference") + " on " + shape;
                    for (int i = 0; i < folded.values.length; i++) {
                        float diff = folded.values[i].sub(product.values[i]).abs().max().getFloat();
                        float size = product.values[i].abs().max().getFloat();
                        assertThat(diff).as("%s, %s", what, Result.NAMES[i]).isLessThanOrEqualTo(1e-5f * (1 + size));
                    }
                    // the scale's gradient is not zero: the comparison above compares something
                    assertThat(product.values[1].abs().max().getFloat()).as(what).isGreaterThan(1e-3f);
                }
            }
        }
    }

    private record Result(NDArray[] values) {
        static final String[] NAMES = {"output", "scale gradient", "gamma gradient", "beta gradient",
            "input gradient", "running mean", "running variance"};
    }

    private static Result run(NDManager m, NDArray x0, NDArray weights, NDArray scale0, NDArray gamma0, NDArray beta0,
            boolean training, boolean folded) {
        Ops.BatchNorm op = new Ops.BatchNorm(5, 1e-5f);
        Block block = op.newBlock("bn");
        block.initialize(m, DataType.FLOAT32, x0.getShape());
        var p = block.getDirectParameters();
        p.get("gamma").getArray().set(gamma0.toFloatArray());
        p.get("beta").getArray().set(beta0.toFloatArray());
        p.get("runningMean").getArray().set(new float[] {0.1f, -0.2f, 0.3f, 0f, 1f});
        p.get("runningVar").getArray().set(new float[] {1f, 2f, 0.5f, 1f, 3f});
        NDArray gamma = p.get("gamma").getArray(), beta = p.get("beta").getArray();
        gamma.setRequiresGradient(true);
        beta.setRequiresGradient(true);
        NDArray x = x0.duplicate(), scale = scale0.duplicate();
        x.setRequiresGradient(true);
        scale.setRequiresGradient(true);
        ParameterStore ps = new ParameterStore(m, false);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            if (folded) {
                y = op.forwardScaled(block, ps, List.of(x), training, scale);
            } else {
                long[] s = new long[x.getShape().dimension()];
                java.util.Arrays.fill(s, 1);
                s[1] = 5;
                y = op.forward(block, ps, List.of(x), training).mul(scale.reshape(new Shape(s)));
            }
            gc.backward(y.mul(weights).sum());
        }
        return new Result(new NDArray[] {y.duplicate(), scale.getGradient().duplicate(),
            gamma.getGradient().duplicate(), beta.getGradient().duplicate(), x.getGradient().duplicate(),
            p.get("runningMean").getArray().duplicate(), p.get("runningVar").getArray().duplicate()});
    }
}
