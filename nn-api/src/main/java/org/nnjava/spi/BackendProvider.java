package org.nnjava.spi;

import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;

/**
 * The service a backend jar registers in {@code META-INF/services/org.nnjava.spi.BackendProvider}, found
 * with {@link java.util.ServiceLoader}.
 *
 * <p>Construction must be cheap and must not fail: no native loading, no static initializers that do
 * work. Whatever can fail (loading a native library) belongs in {@link #probe()}, which reports it.
 */
public interface BackendProvider {

    /** The version of this SPI. A provider returns the constant it was compiled against. */
    int SPI_VERSION = 1;

    /**
     * The name users select the backend by ({@code -Dnn.backend=NAME}): lower case, unique.
     *
     * @return the name, e.g. {@code ejml}
     */
    String name();

    /**
     * Higher wins when no backend is named; ties at the top are an error, never a silent pick.
     *
     * @return the priority (EJML 10, ND4J 20)
     */
    int priority();

    /**
     * Return {@link #SPI_VERSION} as compiled into the provider; a mismatch makes the provider unavailable.
     *
     * @return {@link #SPI_VERSION}
     */
    int spiVersion();

    /**
     * Whether this backend can run here. Never throws: a failure (a native library that does not load)
     * is returned as {@link Availability#unavailable(String)} with a reason that says what to do.
     * Called at most once per provider by {@link org.nnjava.tensor.Backends}, which caches the answer.
     *
     * @return {@link Availability#ok()}, or why the backend cannot run
     */
    Availability probe();

    /**
     * A backend creating tensors of {@code dtype}; only called after a successful probe.
     *
     * @param dtype the dtype of every tensor the backend creates
     * @return a new backend whose {@link Backend#name()} is {@link #name()}
     */
    Backend create(DType dtype);
}
