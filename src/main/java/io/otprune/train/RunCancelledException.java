package io.otprune.train;

/** Thrown at a step boundary once a run has been cancelled. */
public class RunCancelledException extends Exception {
    private static final long serialVersionUID = 1L;

    public RunCancelledException() {
        super("run cancelled");
    }
}
