package org.nnjava.tensor;

/**
 * A tensor made during one training step was used after the next step began, when its memory had been
 * recycled ({@link StepArena}). The message names the step it was made in; the fix is to
 * {@link Tensor#copy() copy} a result that must outlive its step.
 */
public final class RecycledTensorException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message what was used, when it was made, and how to keep such a tensor
     */
    public RecycledTensorException(String message) {
        super(message);
    }
}
