package io.otprune.train;

/**
 * What flows out of a run, as immutable plain values (never NDArrays): the CLI writes them as JSON lines, the GUI
 * draws them. {@link #type()} names the kind in metrics.jsonl.
 */
public sealed interface RunEvent {
    String type();

    /** Whether the event goes to metrics.jsonl; live-only events (large mask snapshots) are for the window only. */
    default boolean persisted() {
        return true;
    }

    /** Training progress, every few steps: means over the steps since the last step event. */
    record Step(String phase, int epoch, int step, int stepsPerEpoch, int globalStep, int totalSteps, double loss,
            double accuracy, double learningRate, double samplesPerSecond) implements RunEvent {
        @Override public String type() { return "step"; }
    }

    /**
     * End of an epoch: training means over the epoch, the test-set evaluation, the process's resident memory, and
     * where the epoch's {@code seconds} went ({@code split}; not "time", which metrics.jsonl gives every line).
     */
    record Epoch(String phase, int epoch, int epochs, double trainLoss, double trainAccuracy, double testLoss,
            double testAccuracy, double seconds, double samplesPerSecond, double rssMiB, EpochTime split)
            implements RunEvent {
        @Override public String type() { return "epoch"; }
    }

    /**
     * An epoch's seconds by part, summed over its steps: waiting for the next batch ({@code data}), the forward and
     * backward pass with the method's masks on the graph ({@code forwardBackward}), the weights' optimizer update
     * ({@code update}), the pruning method's own per-step work outside the graph ({@code method}: building the
     * masks, updating scores, the transport solve, statistics and events), and the end-of-epoch test
     * ({@code evaluation}). What a mask costs inside the forward and backward pass counts there, not in
     * {@code method}. The parts are host clock readings around synchronous CPU work; on a GPU, whose kernels run
     * asynchronously, their split is approximate (the loss read after backward waits for the device) though their
     * sum is not. {@code seconds} minus their sum is the loop's own overhead (events, checks).
     */
    record EpochTime(double data, double forwardBackward, double update, double method, double evaluation) {}

    /** A run entered a phase (train, prune, harden, finetune, done). */
    record Phase(String phase, String detail) implements RunEvent {
        @Override public String type() { return "phase"; }
    }

    /**
     * Pruning progress (soft masks): temperature, sharpness, the kept share of the budget under the soft masks,
     * the transport thresholds τ (one per problem) and each unit set's kept fraction, soft (mean mask) and hard
     * (share of units with mask > 0.5).
     */
    record Prune(String phase, int step, int totalSteps, double epsilon, double sharpness, double targetSharpness,
            double softKept, double targetKept, java.util.List<Double> tau, java.util.List<String> sets,
            java.util.List<Double> setKeptSoft, java.util.List<Double> setKeptHard) implements RunEvent {
        @Override public String type() { return "prune"; }
    }

    /**
     * Histogram of one unit set's importance scores: {@code counts} per bin over [lo, hi], {@code kept} the units
     * of each bin whose mask is above 0.5, and the threshold τ of the set's problem.
     */
    record Histogram(int step, String set, double lo, double hi, int[] counts, int[] kept, double tau,
            double epsilon) implements RunEvent {
        @Override public String type() { return "histogram"; }
    }

    /**
     * The current mask of one unit set, for live views: {@code values} in [0, 1] laid out as {@code shape} (row-major),
     * soft during pruning, 0/1 once {@code hard}. Not written to metrics.jsonl (a layer's mask can hold 10⁵ values).
     * The values are computed when first read: only a window shows them, and on a small network computing them for
     * every event cost a DTP run 3% of its time (docs/benchmarks.md §12).
     */
    record Mask(int step, String set, long[] shape, Values source, boolean hard) implements RunEvent {
        public Mask(int step, String set, long[] shape, float[] values, boolean hard) {
            this(step, set, shape, Values.lazy(() -> values), hard);
        }

        /** The mask's values, row-major in {@code shape}. */
        public float[] values() {
            return source.get();
        }

        @Override public String type() { return "mask"; }
        @Override public boolean persisted() { return false; }

        /** Values computed once, by the first reader (any thread). */
        public static final class Values {
            private java.util.function.Supplier<float[]> compute;
            private float[] values;

            private Values(java.util.function.Supplier<float[]> compute) {
                this.compute = compute;
            }

            public static Values lazy(java.util.function.Supplier<float[]> compute) {
                return new Values(compute);
            }

            synchronized float[] get() {
                if (values == null) {
                    values = compute.get();
                    compute = null;
                }
                return values;
            }
        }
    }

    /** The soft masks became hard: accuracy just before and just after, and the budget achieved. */
    record Hardened(double accuracyBefore, double accuracyAfter, double gap, double sharpness,
            double achievedSparsity, double targetSparsity) implements RunEvent {
        @Override public String type() { return "hardened"; }
    }

    /**
     * Activation entropy of every ReLU (egp): per layer, the mean binary entropy (bits) of "input &gt; 0" over its
     * non-constant channels, its channels always on and always off over the probe data, and the layers whose
     * channels are all constant (linear or constant: removable). Measured at each egp iteration ({@code iteration}
     * of {@code iterations}, after pruning to {@code sparsity}) and at the end ({@code iteration} = iterations + 1).
     */
    record Entropy(int iteration, int iterations, double sparsity, java.util.List<String> layers,
            java.util.List<Double> entropy, java.util.List<Integer> channels, java.util.List<Integer> alwaysOn,
            java.util.List<Integer> alwaysOff, java.util.List<String> removable) implements RunEvent {
        @Override public String type() { return "entropy"; }
    }

    /** A human-readable message (warnings, where files went). */
    record Message(String level, String text) implements RunEvent {
        @Override public String type() { return "message"; }
    }

    /** The run failed; nothing after this. */
    record Failed(String message) implements RunEvent {
        @Override public String type() { return "failed"; }
    }
}
