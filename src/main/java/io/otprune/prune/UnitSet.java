package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.otprune.model.PrunableLayer;
import java.util.List;

/**
 * A set of prunable units that share one score tensor and one mask tensor: the weights of one layer
 * (unstructured), or the output channels of one layer or of a residual-coupled group of layers (structured).
 * The pruning engine works on unit sets only, so a new kind of unit is a new implementation of this interface.
 */
public interface UnitSet {
    /** Name shown in events and summaries (a layer name, or a group name). */
    String name();

    /** Layers whose parameters this set's mask touches. */
    List<PrunableLayer> layers();

    /**
     * The layers whose units these are, by name: the layer itself (unstructured), the layers whose outputs a channel
     * group ties together (structured; {@link #layers()} also holds the layers that read them), the layers of the
     * residual blocks (depth). What a view lists as a set's members and how a layer is found in its set.
     */
    default List<String> members() {
        return layers().stream().map(PrunableLayer::name).toList();
    }

    /** Number of units. */
    int size();

    /** Shape of the score and mask tensors. */
    Shape shape();

    /** Cost of each unit in a budget's measure (what removing it saves). */
    double[] costs(PruneConfig.Budget budget);

    /** Parameters removed together with each unit (for summaries, whatever the budget). */
    default double[] paramCosts() {
        return costs(PruneConfig.Budget.PARAMS);
    }

    /** Multiply-adds removed together with each unit. */
    default double[] flopCosts() {
        return costs(PruneConfig.Budget.FLOPS);
    }

    /** Magnitude criterion per unit (|w| for a weight, the L2 norm of a channel's weights). */
    float[] magnitudes();

    /** Installs a mask for the forward pass; {@code mask} has {@link #shape()} and lives in the caller's manager. */
    void installMask(NDArray mask);

    /** Removes the mask from the forward pass. */
    void clearMask();

    /**
     * Makes a hard mask permanent in the weights: zeroes the pruned units' parameters in place (no gradient).
     * Called after every optimizer step while a hard mask is fixed, so momentum cannot revive a pruned unit.
     */
    void enforce(NDArray hardMask);

    /** A 0/1 mask tensor of {@link #shape()} in {@code manager} from a keep vector. */
    default NDArray maskArray(NDManager manager, boolean[] keep) {
        float[] v = new float[keep.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = keep[i] ? 1f : 0f;
        }
        return manager.create(v, shape());
    }

    /** Each unit's weights as a vector (the values a distribution criterion such as CPOT compares). */
    default float[][] unitWeights() {
        throw new UnsupportedOperationException(name() + ": its units are not channels with weights of their own");
    }

    /** Folds the pruned units into kept ones before they are removed (CPOT merging); channel groups only. */
    default void mergePruned(boolean[] keep) {
        throw new UnsupportedOperationException(name() + ": only channels can be merged");
    }
}
