package io.otprune.train;

import io.otprune.util.LibTorchEntryPoints;
import java.util.Map;

/**
 * Flushes subnormal ("denormal") floats to zero in this thread's CPU arithmetic: PyTorch's
 * {@code torch.set_flush_denormal(True)}, which sets the x86 FTZ and DAZ bits, reached through libtorch's
 * {@code at::Context::setFlushDenormal} ({@link LibTorchEntryPoints}; DJL has no call for it).
 *
 * <p>Why: DTP's soft masks are σ((s − τ)/ε). A unit whose score is 87–103 temperatures below τ gets a mask between
 * 2<sup>−149</sup> and 2<sup>−126</sup>, a subnormal, and a gated channel makes a whole feature map of them. On Intel
 * CPUs every multiply with a subnormal operand takes a microcode assist: a 3×3 convolution over a batch of subnormal
 * inputs ran 10–25 times slower than over normal ones, and resnet20's DTP steps went from 0.24 to 2.4 s while ε sat at
 * 0.5 and the scores spread (docs/benchmarks.md §12, session 19). Such values are zero for every purpose of training;
 * TensorFlow flushes them on its CPU threads by default. AMD's Zen cores handle them at full speed, so there this
 * only changes which tiny values are exactly zero.
 *
 * <p>The bits belong to a thread, and PyTorch's worker threads copy them from the thread that starts them, when it first
 * splits an operation: so this is set on every thread that computes, before its first operation on the engine
 * ({@link Devices#resolve} does it, as every command and run resolves its device first). A thread whose workers
 * already exist keeps them unflushed: its own share of each operation is flushed, theirs not. {@code
 * OTPRUNE_DENORMALS=keep} keeps IEEE subnormals.
 */
public final class Denormals {
    /** The environment variable that turns this off ({@code keep}). */
    public static final String SWITCH = "OTPRUNE_DENORMALS";
    private static final String SET = "_ZN2at7Context16setFlushDenormalEb";
    private static final ThreadLocal<Boolean> SET_HERE = new ThreadLocal<>();
    private static volatile String state = "not set yet (no computation)";

    private Denormals() {}

    /** Flushes subnormals on this thread (once per thread; later calls do nothing): what was done, in words. */
    public static String flushOnThisThread() {
        if (SET_HERE.get() == null) {
            SET_HERE.set(Boolean.TRUE);
            state = flush(System.getenv());
        }
        return state;
    }

    /** What the last thread to set it got, in words, without setting it on this thread. */
    public static String describe() {
        return state;
    }

    static String flush(Map<String, String> env) {
        if (keep(env)) {
            return "kept (" + SWITCH + "=keep)";
        }
        LibTorchEntryPoints torch = LibTorchEntryPoints.open();
        if (torch == null) {
            return "kept (libtorch's entry points not found)";
        }
        try {
            boolean ok = LibTorchEntryPoints.cppBool(torch.function(SET).invokeInt(new Object[] {torch.context(), true}));
            return ok ? "flushed to zero on computing threads (" + SWITCH + "=keep keeps them)"
                    : "kept (this CPU cannot flush them)";
        } catch (LinkageError | RuntimeException e) {
            return "kept (no setFlushDenormal in this libtorch: " + e.getMessage() + ")";
        }
    }

    static boolean keep(Map<String, String> env) {
        return "keep".equalsIgnoreCase(env.getOrDefault(SWITCH, "").strip());
    }
}
