package org.nnjava.io;

import java.io.IOException;
import java.util.List;

/**
 * A valid checkpoint whose arrays do not fit the tensors it is loaded into: names missing from the file,
 * names the network does not have, or shapes that differ. The message lists every mismatch at once (not
 * just the first), each by name with both shapes, so that one run tells the user everything to fix.
 *
 * <p>An {@link IOException}, like {@link CheckpointFormatException}, so that a caller can handle "this
 * checkpoint cannot be used" with one {@code catch}; the two types keep apart a broken file from a file
 * saved by another network.
 */
public class CheckpointMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An array rather than a List: exceptions are Serializable, and List is not declared so. */
    private final String[] mismatches;

    /**
     * An exception listing every mismatch.
     *
     * @param message the whole report, for users
     * @param mismatches each mismatch in words; copied
     */
    public CheckpointMismatchException(String message, List<String> mismatches) {
        super(message);
        this.mismatches = mismatches.toArray(new String[0]);
    }

    /**
     * Each mismatch in words, e.g. {@code W1: file has [784, 100], network has [784, 50]}; unmodifiable.
     *
     * @return the mismatches, in the order found
     */
    public List<String> mismatches() {
        return List.of(mismatches);
    }
}
