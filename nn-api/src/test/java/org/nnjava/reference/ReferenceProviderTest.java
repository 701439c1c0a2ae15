package org.nnjava.reference;

import org.nnjava.conformance.ProviderContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link ProviderContract} on the reference backend. */
class ReferenceProviderTest extends ProviderContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
