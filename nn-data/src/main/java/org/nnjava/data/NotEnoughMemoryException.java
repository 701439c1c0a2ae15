package org.nnjava.data;

import java.io.IOException;

/**
 * A data file whose header announces more data than this JVM's heap can take, found before anything
 * was allocated for it. The file may be genuine (a data set larger than the heap) or its header may be
 * damaged; the message names the file, the bytes needed, the bytes free and how to give the JVM more
 * ({@code -Xmx}, or {@code JAVA_OPTS=-Xmx...} for {@code ./nn}).
 *
 * <p>Checked, as {@link IdxFormatException} is: input the program cannot take, to be reported, and
 * never an {@link OutOfMemoryError} that would end the program without saying which file caused it.
 */
public class NotEnoughMemoryException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * The bytes the data would need.
     */
    private final long neededBytes;
    /**
     * The bytes the heap had free for the data.
     */
    private final long availableBytes;

    /**
     * An exception saying how much memory was needed and how much there was.
     *
     * @param message what was being read, both numbers and how to raise the heap
     * @param neededBytes the bytes the data would need
     * @param availableBytes the bytes the heap had free for it
     */
    public NotEnoughMemoryException(String message, long neededBytes, long availableBytes) {
        super(message);
        this.neededBytes = neededBytes;
        this.availableBytes = availableBytes;
    }

    /**
     * The bytes the data would need on the heap.
     *
     * @return the bytes needed
     */
    public long neededBytes() {
        return neededBytes;
    }

    /**
     * The bytes the heap had free for it (after a margin) when the check was made.
     *
     * @return the bytes available
     */
    public long availableBytes() {
        return availableBytes;
    }
}
