/**
 * Checkpoints in NumPy's formats: named tensors saved as an {@code .npz} archive (a zip of {@code .npy}
 * arrays) that {@code numpy.load(path, allow_pickle=False)} reads, and {@code .npz} files written by
 * numpy loaded back into a network.
 *
 * <p>Entry points: {@link org.nnjava.io.Npz} saves and loads; {@link org.nnjava.io.NpyArray} is one
 * array read from or written to a file, independent of any backend. Loading validates every byte it
 * uses and never executes anything from the file: object (pickle) arrays are refused outright, and the
 * {@code .npy} header, a Python dict literal, is read by a small parser that accepts only strings,
 * {@code True}/{@code False} and tuples of integers. {@link org.nnjava.io.Pickles} reads the dicts of
 * NumPy arrays that Python pickles hold (the trained weights of <i>Deep Learning from Scratch</i>) with
 * its own restricted interpreter, which accepts only the globals and calls that rebuild a NumPy array.
 *
 * <p>Failures: a file that is not a valid checkpoint is a {@link org.nnjava.io.CheckpointFormatException};
 * a valid file whose arrays do not fit the network is a {@link org.nnjava.io.CheckpointMismatchException}.
 * Both are {@link java.io.IOException}s, so one {@code catch} handles every way a checkpoint can fail to
 * load, and both messages name the file and the entry.
 */
package org.nnjava.io;
