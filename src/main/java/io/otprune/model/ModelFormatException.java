package io.otprune.model;

/** A model folder that cannot be loaded; the message names the file and what is wrong with it. */
public class ModelFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
