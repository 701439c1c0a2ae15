/**
 * nnjava's data sets: the IDX format, MNIST and Fashion-MNIST downloaded with verification into a
 * cache, and the embedded {@code mnist-sample}, loaded into the tensors of any backend.
 */
module org.nnjava.data {
    requires transitive org.nnjava.api;

    exports org.nnjava.data;
}
