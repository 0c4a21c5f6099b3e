package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.otprune.train.TrainingLoop;
import java.util.List;

/**
 * Fixed 0/1 masks, enforced in the weights: applied once, then after every optimizer step (so momentum cannot
 * revive a pruned unit). The forward pass then needs no mask at all.
 */
public final class HardMasks implements TrainingLoop.StepHook, TrainingLoop.Resumable {
    private final List<UnitSet> sets;
    private final boolean[][] keep;
    private final NDArray[] arrays;

    /** @param manager owns the mask arrays (the run's manager: they live as long as the masks are used) */
    public HardMasks(List<UnitSet> sets, boolean[][] keep, NDManager manager) {
        this.sets = sets;
        this.keep = keep;
        this.arrays = new NDArray[sets.size()];
        for (int j = 0; j < sets.size(); j++) {
            sets.get(j).clearMask();
            arrays[j] = sets.get(j).maskArray(manager, keep[j]);
        }
        enforce();
    }

    public void enforce() {
        for (int j = 0; j < sets.size(); j++) {
            sets.get(j).enforce(arrays[j]);
        }
    }

    @Override
    public void afterUpdate(NDManager step, int globalStep) {
        enforce();
    }

    /** The masks, for a checkpoint (as {@code hard.keep.J}); see {@link #keep(io.otprune.train.TrainState, int)}. */
    @Override
    public void save(io.otprune.train.TrainState out) {
        for (int j = 0; j < keep.length; j++) {
            out.put("hard.keep." + j, keep[j]);
        }
    }

    /** Nothing to do: masks are fixed, and a resumed run builds them from the checkpoint's ({@link #keep(io.otprune.train.TrainState, int)}). */
    @Override
    public void restore(io.otprune.train.TrainState in) {}

    /** The masks a checkpoint holds for {@code sets} unit sets, or null if it holds none. */
    public static boolean[][] keep(io.otprune.train.TrainState in, int sets) {
        if (!in.has("hard.keep.0")) {
            return null;
        }
        boolean[][] k = new boolean[sets][];
        for (int j = 0; j < sets; j++) {
            k[j] = in.booleans("hard.keep." + j);
        }
        return k;
    }

    public boolean[][] keep() {
        return keep;
    }

    /** Frees the mask arrays. */
    public void close() {
        for (NDArray a : arrays) {
            a.close();
        }
    }
}
