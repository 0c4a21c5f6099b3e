package io.otprune.data;

import java.nio.file.Path;

/** An IDX file that is missing, truncated or malformed; the message names the file and what is wrong. */
public class IdxFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public IdxFormatException(Path file, String problem) {
        this(file.toString(), problem);
    }

    public IdxFormatException(String source, String problem) {
        super(source + ": " + problem);
    }
}
