package io.otprune.train;

/** The loss became NaN or infinite: the run stops rather than train on garbage. */
public class DivergenceException extends Exception {
    private static final long serialVersionUID = 1L;

    public DivergenceException(String message) {
        super(message);
    }
}
