package io.otprune.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Map;

/**
 * How many threads PyTorch's CPU operations use in a run: one for a small network, the engine's default otherwise.
 *
 * <p>Why: an elementwise pass over a small network's tensors (the mlp-300-100's 235,200-weight layer: tens of
 * microseconds) is split over all cores, and every such split wakes and joins the other threads, which on two cores
 * also wait for the batch loader and the JVM's own threads whenever those run. On the mlp-300-100 at 0.98 (3 + 2
 * epochs, whole runs) one thread took GMP from 12.2–12.7 s to 10.6–12.1 s and DTP, whose scores add passes of that
 * size, from 15.5–15.9 s to 13.7–14.3 s; lenet5's convolutions run faster on two (docs/benchmarks.md §12). Below
 * {@link #SMALL_NETWORK_MACS} multiply-adds per sample a run takes one thread.
 *
 * <p>Set on the run's own thread at its start (PyTorch keeps the count per thread as well as per process) and given
 * back at its end ({@link #restore}), and only on the CPU. {@code OMP_NUM_THREADS} in the environment or the JVM
 * option {@code -Dai.djl.pytorch.num_threads} decide instead.
 */
public final class EngineThreads {
    /** Networks under this many multiply-adds per sample train on one thread (mlp-300-100: 266,200; lenet5: 2.3 M). */
    public static final long SMALL_NETWORK_MACS = 1_000_000;
    private static int engineDefault = -1;

    private EngineThreads() {}

    /**
     * Sets the intra-op threads for a run of a network of {@code macsPerSample} on {@code device}, on this thread;
     * returns the count the run uses, in words (for the run's log).
     */
    public static synchronized String applyFor(long macsPerSample, Device device) {
        if (!(Engine.getInstance() instanceof PtEngine)) {
            return "engine default";
        }
        if (engineDefault < 0) {
            engineDefault = JniUtils.getNumThreads(); // before any change: the count the engine chose itself
        }
        String fixedBy = fixedBy(System.getenv(), System.getProperty("ai.djl.pytorch.num_threads"));
        if (fixedBy != null || !"cpu".equals(device.getDeviceType())) {
            return JniUtils.getNumThreads() + (fixedBy != null ? " (" + fixedBy + ")" : " (not a CPU run)");
        }
        int n = threadsFor(macsPerSample, engineDefault);
        JniUtils.setNumThreads(n);
        return n + (n == 1 && engineDefault > 1
                ? " (small network: under " + SMALL_NETWORK_MACS + " multiply-adds a sample)" : " (engine default)");
    }

    /** {@link #applyFor}, said as the run's log says it, with how this thread treats subnormal floats ({@link Denormals}). */
    public static RunEvent.Message applyForRun(long macsPerSample, Device device) {
        return new RunEvent.Message("info", "CPU threads: " + applyFor(macsPerSample, device) + "; subnormal floats "
                + Denormals.flushOnThisThread());
    }

    /**
     * Gives the engine its own count back, at the end of a run: PyTorch hands the last count set to every thread that
     * starts computing afterwards, so without this a window that pruned the mlp would evaluate or scan a large
     * network on one thread.
     */
    public static synchronized void restore() {
        if (engineDefault > 0) {
            // unconditionally: this thread's count can already be the default while the one new threads take is not
            JniUtils.setNumThreads(engineDefault);
        }
    }

    /** The intra-op threads PyTorch's CPU operations on this thread use now (-1 with another engine). */
    public static int current() {
        return Engine.getInstance() instanceof PtEngine ? JniUtils.getNumThreads() : -1;
    }

    /** The count the engine chose itself, before any run changed it (-1 before the first run). */
    static synchronized int engineDefault() {
        return engineDefault;
    }

    /** The rule: one thread for a small network, the engine's default count for any other. */
    static int threadsFor(long macsPerSample, int engineDefault) {
        return macsPerSample < SMALL_NETWORK_MACS ? 1 : Math.max(1, engineDefault);
    }

    /** What fixes the count instead of this rule, or null. */
    static String fixedBy(Map<String, String> env, String djlProperty) {
        if (env.containsKey("OMP_NUM_THREADS")) {
            return "OMP_NUM_THREADS set";
        }
        return djlProperty != null ? "ai.djl.pytorch.num_threads set" : null;
    }
}
