package org.nnjava.reference;

import org.nnjava.conformance.LayerGradientContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link LayerGradientContract} on the reference backend. */
class ReferenceLayerGradientTest extends LayerGradientContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
