package org.nnjava.tensor;

/** No backend could be chosen: none on the classpath, an unknown or unavailable name, two providers with one name, or a tie at the top priority. The message lists what was found and what to do. */
public class BackendSelectionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message what was found, what is wrong and what to add or set
     */
    public BackendSelectionException(String message) {
        super(message);
    }
}
