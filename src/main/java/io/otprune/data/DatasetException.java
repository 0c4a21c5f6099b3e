package io.otprune.data;

/** A data set that cannot be loaded; the message says what is wrong and how to fix it. */
public class DatasetException extends Exception {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
