package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.otprune.model.PrunableLayer;
import java.util.Arrays;
import java.util.List;

/** Unstructured units: every weight of one conv or linear layer (biases and BN terms are never units). */
public final class WeightUnits implements UnitSet {
    private final PrunableLayer layer;

    public WeightUnits(PrunableLayer layer) {
        this.layer = layer;
    }

    @Override public String name() { return layer.name(); }
    @Override public List<PrunableLayer> layers() { return List.of(layer); }
    @Override public int size() { return (int) layer.weightCount(); }
    @Override public Shape shape() { return layer.weight().getArray().getShape(); }

    /** A weight removes one parameter and one multiply-add per output position. */
    @Override
    public double[] costs(PruneConfig.Budget budget) {
        double[] c = new double[size()];
        Arrays.fill(c, budget == PruneConfig.Budget.FLOPS ? layer.outputPositions() : 1.0);
        return c;
    }

    @Override
    public float[] magnitudes() {
        float[] w = layer.weight().getArray().toFloatArray();
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.abs(w[i]);
        }
        return w;
    }

    @Override
    public void installMask(NDArray mask) {
        // mask first: the product then belongs to the mask's (per-step) manager, not the model's (engine trap 2)
        layer.setWeightMask(w -> mask.mul(w));
    }

    @Override
    public void clearMask() {
        layer.setWeightMask(null);
    }

    @Override
    public void enforce(NDArray hardMask) {
        layer.weight().getArray().muli(hardMask);
    }
}
