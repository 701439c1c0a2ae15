package org.nnjava.tensor;

/** A shape that cannot exist: a negative dimension, too many elements, or data whose length does not match. */
public class InvalidShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message the operation, the shape and the rule broken
     */
    public InvalidShapeException(String message) {
        super(message);
    }
}
