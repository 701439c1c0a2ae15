package org.nnjava.examples;

import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import picocli.CommandLine.Option;

/** The options that pick a backend and dtype, shared by the commands that compute. */
final class BackendOptions {

    @Option(names = "--backend", paramLabel = "NAME",
            description = "The backend to use (default: -Dnn.backend, then NN_BACKEND, then the highest priority).")
    String backend;

    @Option(names = "--dtype", paramLabel = "DTYPE", defaultValue = "float64",
            description = "float64 or float32 (default: ${DEFAULT-VALUE}).")
    String dtype;

    /** The chosen backend; a bad name or dtype is an {@link IllegalArgumentException} or a selection error. */
    Backend backend() {
        return backend(DType.parse(dtype));
    }

    /** The chosen backend for {@code dtype} (where it comes from elsewhere, such as a checkpoint). */
    Backend backend(DType dtype) {
        return Backends.registry().backend(backend, "--backend " + backend, dtype);
    }
}
