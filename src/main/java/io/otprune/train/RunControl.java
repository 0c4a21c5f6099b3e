package io.otprune.train;

/**
 * Pause, resume and cooperative cancel of a run, shared between the thread that runs it and the one that
 * steers it (the GUI or a signal handler). The run calls {@link #checkpoint()} before every step: a pause blocks
 * there (no CPU used), a cancel throws there, so a run stops within one step.
 */
public final class RunControl implements io.otprune.data.ReaderControl {
    private boolean paused;
    private volatile boolean cancelled;

    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    public synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Blocks while paused, for helper threads (the batch loader): unlike {@link #checkpoint()} it neither throws
     * nor turns an interrupt into a cancel, since the helper's owner decides what ends it.
     */
    @Override
    public synchronized void awaitResumed() throws InterruptedException {
        while (paused && !cancelled) {
            wait();
        }
    }

    /** Blocks while paused; throws once cancelled. */
    public synchronized void checkpoint() throws RunCancelledException {
        while (paused && !cancelled) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled = true;
            }
        }
        if (cancelled) {
            throw new RunCancelledException();
        }
    }
}
