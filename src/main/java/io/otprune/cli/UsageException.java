package io.otprune.cli;

/** Bad input from the user: reported in one line with exit code 2. */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
