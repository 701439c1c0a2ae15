package org.nnjava.reference;

import org.nnjava.conformance.BackendCreationContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link BackendCreationContract} on the reference backend. */
class ReferenceBackendCreationTest extends BackendCreationContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
