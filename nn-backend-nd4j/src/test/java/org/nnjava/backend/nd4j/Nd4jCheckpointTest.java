package org.nnjava.backend.nd4j;

import org.nnjava.conformance.CheckpointContract;
import org.nnjava.spi.BackendProvider;

/** The kit's CheckpointContract on the ND4J backend. */
class Nd4jCheckpointTest extends CheckpointContract {
    @Override
    protected BackendProvider provider() {
        return new Nd4jBackendProvider();
    }
}
