package org.nnjava.tensor;

/** Operands from two different backends, or of two different dtypes. Convert one with {@link Backend#copyOf(Tensor)}. */
public class IncompatibleTensorsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message the operation, both operands' backends and dtypes, and the fix
     */
    public IncompatibleTensorsException(String message) {
        super(message);
    }
}
