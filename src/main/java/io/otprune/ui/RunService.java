package io.otprune.ui;

import io.otprune.run.PruneRun;
import io.otprune.run.PruneRunConfig;
import io.otprune.run.PruneSummary;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs pruning runs on ONE dedicated worker thread (DJL's gradient collector and grad mode are per process and per
 * thread: engine trap 3). The FX thread only submits, pauses and cancels; events and the outcome come back as plain
 * values through the callbacks, on the worker thread.
 */
public final class RunService implements AutoCloseable {
    /** How a run ended: a summary, a cancellation, or an error message. */
    public record Outcome(PruneSummary summary, boolean cancelled, String error, Path dir) {}

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "otprune-worker");
        t.setDaemon(true);
        return t;
    });
    private volatile RunControl control;
    private volatile Future<?> current;

    public boolean busy() {
        Future<?> f = current;
        return f != null && !f.isDone();
    }

    public void start(PruneRunConfig cfg, Path out, Consumer<RunEvent> events, Consumer<Outcome> done) {
        submit(out, c -> PruneRun.execute(cfg, out, false, events, c), done);
    }

    /** Continues the interrupted run in {@code dir} from its last checkpoint ({@link PruneRun#resume}). */
    public void resumeRun(Path dir, Consumer<RunEvent> events, Consumer<Outcome> done) {
        submit(dir, c -> PruneRun.resume(dir, events, c), done);
    }

    /**
     * The run begins this long after Start, so that the window's own answer to the click (every view emptied, a
     * score of controls restyled as disabled: 34-41 ms of FX-thread CPU) has the cores to itself: started at once,
     * the run's first work made that one pulse last 73-97 ms on two cores (docs/benchmarks.md §11).
     */
    static final long START_DELAY_MS = Long.getLong("otprune.startDelayMs", 150);

    private interface Job {
        PruneSummary run(RunControl c) throws Exception;
    }

    private void submit(Path out, Job job, Consumer<Outcome> done) {
        if (busy()) {
            throw new IllegalStateException("a run is in progress");
        }
        RunControl c = new RunControl();
        control = c;
        current = worker.submit(() -> {
            try {
                Thread.sleep(START_DELAY_MS);
                PruneSummary s = job.run(c);
                done.accept(new Outcome(s, false, null, out));
            } catch (RunCancelledException | InterruptedException e) {
                done.accept(new Outcome(null, true, null, out));
            } catch (Exception | OutOfMemoryError e) {
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                done.accept(new Outcome(null, false, msg, out));
            }
        });
    }

    public void pause() {
        RunControl c = control;
        if (c != null) {
            c.pause();
        }
    }

    public void resume() {
        RunControl c = control;
        if (c != null) {
            c.resume();
        }
    }

    /** Cancels the run; it stops within one training step and frees its native memory. */
    public void cancel() {
        RunControl c = control;
        if (c != null) {
            c.cancel();
        }
    }

    /** Cancels and waits for the worker to finish (window closing). */
    public void shutdown(long millis) {
        cancel();
        worker.shutdown();
        try {
            worker.awaitTermination(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(10_000);
    }
}
