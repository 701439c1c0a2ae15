package org.nnjava.reference;

import org.nnjava.conformance.OptimizerContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link OptimizerContract} on the reference backend. */
class ReferenceOptimizerTest extends OptimizerContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
