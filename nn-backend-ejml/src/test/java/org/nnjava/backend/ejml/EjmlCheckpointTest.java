package org.nnjava.backend.ejml;

import org.nnjava.conformance.CheckpointContract;
import org.nnjava.spi.BackendProvider;

/** The kit's CheckpointContract on the EJML backend. */
class EjmlCheckpointTest extends CheckpointContract {
    @Override
    protected BackendProvider provider() {
        return new EjmlBackendProvider();
    }
}
