package org.nnjava.reference;

import org.nnjava.conformance.LayerContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link LayerContract} on the reference backend. */
class ReferenceLayerTest extends LayerContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
