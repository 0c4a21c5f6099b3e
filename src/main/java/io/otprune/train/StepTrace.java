package io.otprune.train;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A step hook that records libtorch's profiler over a few training steps and writes its Chrome trace (every op with
 * its time and input shapes): where a step's time goes, op by op. How session 9 found that resnet18's last stage,
 * 3×3 convolutions on 1×1 inputs, took a third of its step (docs/benchmarks.md §10).
 */
public final class StepTrace implements TrainingLoop.StepHook {
    private final int from;
    private final int to;
    private final Path out;

    private StepTrace(int from, int count, Path out) {
        this.from = from;
        this.to = from + count;
        this.out = out;
    }

    /** Profiles global steps {@code from} … {@code from + count − 1} (0-based) into {@code out}. */
    public static StepTrace after(int from, int count, Path out) {
        if (count < 1) {
            throw new IllegalArgumentException("trace at least one step");
        }
        return new StepTrace(from, count, out.toAbsolutePath());
    }

    @Override
    public void beforeForward(NDManager step, int globalStep) {
        if (globalStep == from) {
            JniUtils.startProfile(false, true, false);
        }
    }

    @Override
    public void afterUpdate(NDManager step, int globalStep) {
        if (globalStep == to - 1) {
            try {
                Files.createDirectories(out.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            JniUtils.stopProfile(out.toString());
        }
    }
}
