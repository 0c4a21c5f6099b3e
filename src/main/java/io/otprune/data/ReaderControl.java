package io.otprune.data;

/**
 * How a reader working for a run (the batch loader thread, the scan of an image folder) learns that the run was
 * paused or cancelled. The run's own control implements it ({@code io.otprune.train.RunControl}).
 */
public interface ReaderControl {
    /** Never paused, never cancelled. */
    ReaderControl NONE = new ReaderControl() {
        @Override public void awaitResumed() {}
        @Override public boolean isCancelled() { return false; }
    };

    /** Blocks while the run is paused (returns at once when it is not, or once it is cancelled). */
    void awaitResumed() throws InterruptedException;

    boolean isCancelled();
}
