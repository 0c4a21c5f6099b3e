package io.otprune.util;

import ai.djl.ndarray.NDManager;

/**
 * How many NDArrays the engine holds open right now, across every manager of the process: the figure that shows a
 * native-memory leak (an NDArray whose manager is never closed stays counted here, whatever the garbage collector
 * does). Every base manager is a child of the engine's system manager, which lists its children's arrays.
 */
public final class LiveArrays {
    private LiveArrays() {}

    /** Open NDArrays in all managers of the default engine (the probe manager used to reach the root holds none). */
    public static int count() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }
}
