/**
 * nnjava's API: tensors and their backend discovery, layers, networks, optimizers, minibatches and
 * checkpoints. Backend authors implement {@code org.nnjava.spi}; a backend module {@code provides}
 * {@link org.nnjava.spi.BackendProvider}, which {@link org.nnjava.tensor.Backends} finds with
 * {@link java.util.ServiceLoader}. Data sets are the {@code org.nnjava.data} module's.
 */
@SuppressWarnings("module") // the internal package's friends are applications, absent when nn-api compiles
module org.nnjava.api {
    requires com.fasterxml.jackson.databind;

    exports org.nnjava.tensor;
    exports org.nnjava.spi;
    exports org.nnjava.layer;
    exports org.nnjava.net;
    exports org.nnjava.optim;
    exports org.nnjava.train;
    exports org.nnjava.batch;
    exports org.nnjava.io;
    // Not API: shared by nn-api's packages and, for tensor formatting and atomic file replacement, by
    // the project's own applications; no library module (data, backends, spark) needs it.
    exports org.nnjava.internal to org.nnjava.examples, org.nnjava.benchmarks;

    uses org.nnjava.spi.BackendProvider;
}
