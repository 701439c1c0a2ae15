package org.nnjava.reference;

import org.nnjava.conformance.NetworkContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link NetworkContract} on the reference backend. */
class ReferenceNetworkTest extends NetworkContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
