package io.otprune.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.otprune.train.TrainingLoop;
import java.util.List;

/**
 * Fixed 0/1 masks, enforced in the weights: applied once, then after every optimizer step (so momentum cannot
 * revive a pruned unit). The forward pass then needs no mask at all.
 */
public final class HardMasks implements TrainingLoop.StepHook {
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
