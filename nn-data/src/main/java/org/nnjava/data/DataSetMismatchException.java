package org.nnjava.data;

import java.io.IOException;

/**
 * Valid IDX files that do not form a data set of labelled images: an image file and a label file with
 * different counts, images that are not a rank-3 array of unsigned bytes {@code [count, rows, columns]},
 * labels that are not a rank-1 array of unsigned bytes or fall outside {@code 0..classes-1}, training and
 * test images of different sizes.
 *
 * <p>The message names the files involved, what was expected and what was found.
 */
public class DataSetMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message which parts disagree and how
     */
    public DataSetMismatchException(String message) {
        super(message);
    }
}
