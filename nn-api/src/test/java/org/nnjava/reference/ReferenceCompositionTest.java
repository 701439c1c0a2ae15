package org.nnjava.reference;

import org.nnjava.conformance.CompositionContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link CompositionContract} on the reference backend. */
class ReferenceCompositionTest extends CompositionContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
