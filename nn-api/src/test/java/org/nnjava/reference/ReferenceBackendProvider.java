package org.nnjava.reference;

import java.util.Objects;
import org.nnjava.spi.Availability;
import org.nnjava.spi.BackendProvider;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;

/**
 * The {@code reference} backend: the shortest backend that passes the whole conformance kit, written as
 * the worked example of docs/backends.md's "Adding a backend". Every tensor is a row-major {@code double[]};
 * a float32 tensor rounds each value it stores to the nearest float, so it holds what a float32
 * backend holds. It lives in nn-api's test scope, where it runs the kit in nn-api's own build and
 * serves the data and io tests as a real backend; it is not part of the published test-jar.
 */
public final class ReferenceBackendProvider implements BackendProvider {

    /** The name this backend is selected by. */
    static final String NAME = "reference";

    @Override
    public String name() {
        return NAME;
    }

    /** 0: below every real backend, so that it is never the one chosen by default beside them. */
    @Override
    public int priority() {
        return 0;
    }

    @Override
    public int spiVersion() {
        return BackendProvider.SPI_VERSION;
    }

    /** Always available: plain Java. */
    @Override
    public Availability probe() {
        return Availability.ok();
    }

    @Override
    public Backend create(DType dtype) {
        return new ReferenceBackend(Objects.requireNonNull(dtype, "dtype"));
    }
}
