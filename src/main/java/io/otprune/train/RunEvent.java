package io.otprune.train;

/**
 * What flows out of a run, as immutable plain values (never NDArrays): the CLI writes them as JSON lines, the GUI
 * draws them. {@link #type()} names the kind in metrics.jsonl.
 */
public sealed interface RunEvent {
    String type();

    /** Training progress, every few steps: means over the steps since the last step event. */
    record Step(String phase, int epoch, int step, int globalStep, int totalSteps, double loss, double accuracy,
            double learningRate, double samplesPerSecond) implements RunEvent {
        @Override public String type() { return "step"; }
    }

    /** End of an epoch: training means over the epoch, the test-set evaluation, and the process's resident memory. */
    record Epoch(String phase, int epoch, int epochs, double trainLoss, double trainAccuracy, double testLoss,
            double testAccuracy, double seconds, double samplesPerSecond, double rssMiB) implements RunEvent {
        @Override public String type() { return "epoch"; }
    }

    /** A run entered a phase (train, prune, harden, finetune, done). */
    record Phase(String phase, String detail) implements RunEvent {
        @Override public String type() { return "phase"; }
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
