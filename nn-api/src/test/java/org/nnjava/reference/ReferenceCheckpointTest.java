package org.nnjava.reference;

import org.nnjava.conformance.CheckpointContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link CheckpointContract} on the reference backend. */
class ReferenceCheckpointTest extends CheckpointContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
