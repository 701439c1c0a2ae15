/**
 * Data sets: the IDX format, MNIST and Fashion-MNIST downloaded with verification into a cache, the
 * embedded real-digit sample {@code mnist-sample}, as the book's {@code load_mnist}. Drawing minibatches
 * from the tensors is nn-api's {@link org.nnjava.batch.Minibatches}.
 *
 * <p>Entry points: {@link org.nnjava.data.DataSetLoader} loads a data set by name (or from a directory)
 * into an {@link org.nnjava.data.ImageDataSet}, whose {@code toTensors(backend, options)} gives the book's
 * {@code (x_train, t_train), (x_test, t_test)}; {@link org.nnjava.data.IdxReader} reads any IDX file into
 * an {@link org.nnjava.data.IdxArray}, independent of any backend.
 *
 * <p>Failures, each an {@link java.io.IOException} whose message names the file and what was expected:
 * {@link org.nnjava.data.IdxFormatException} (a file that is not valid IDX),
 * {@link org.nnjava.data.DataSetMismatchException} (valid files that do not fit together),
 * {@link org.nnjava.data.ChecksumMismatchException} (a file that is not the published one),
 * {@link org.nnjava.data.DownloadException} (every mirror failed; lists each with its reason). Nothing is
 * ever loaded partially.
 *
 * <p>The cache directory is {@code ~/.cache/nnjava/datasets} unless the system property
 * {@code nn.data.cache} or the environment variable {@code NN_DATA_CACHE} names another.
 */
package org.nnjava.data;
