package org.nnjava.reference;

import org.nnjava.conformance.RegularizationContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link RegularizationContract} on the reference backend. */
class ReferenceRegularizationTest extends RegularizationContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
