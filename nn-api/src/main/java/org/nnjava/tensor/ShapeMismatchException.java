package org.nnjava.tensor;

/** Operands whose shapes do not fit the operation. The message names the operation, both shapes and the rule broken. */
public class ShapeMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message the operation, the operands' shapes and the rule broken
     */
    public ShapeMismatchException(String message) {
        super(message);
    }
}
