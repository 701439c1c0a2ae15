package org.nnjava.tensor;

/** An axis, a row index or an element index outside the tensor. */
public class TensorIndexException extends IndexOutOfBoundsException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message the operation, the index, the shape and the valid range
     */
    public TensorIndexException(String message) {
        super(message);
    }
}
