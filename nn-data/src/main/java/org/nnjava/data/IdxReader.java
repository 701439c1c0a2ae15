package org.nnjava.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.nnjava.io.RegularFiles;

/**
 * Reads IDX files, the format of LeCun's MNIST page: a magic number {@code 0x0000TTDD} (two zero bytes,
 * the type code {@code TT}, the number of dimensions {@code DD}), each dimension as a big-endian unsigned
 * 32-bit integer, then the elements in row-major order, big-endian. A file may be plain or
 * gzip-compressed; the reader tells them apart by their first two bytes, not by the file name, because a
 * user's copy may have been unpacked or recompressed without being renamed.
 *
 * <p>Everything is validated before anything large is allocated: the magic number, the type code, the
 * dimension count, the size the dimensions imply (against overflow and the largest Java array), and,
 * for a plain file, that size against the file's length. Compressed data is read in chunks as it
 * arrives, so a gzip file that claims more than it holds costs only what it holds. The data must fill the
 * announced size exactly: a file cut short, or with bytes after the data, is an {@link IdxFormatException}
 * naming the file, and nothing is returned.
 */
public final class IdxReader {

    /**
     * The bytes per element that the memory check adds for the conversion the loaders make after
     * reading ({@link IdxArray#toDoubleArray()}, the widest): the data is refused up front unless the
     * heap can hold both the file's data and that copy.
     */
    public static final int CONVERSION_BYTES_PER_ELEMENT = Double.BYTES;

    /** No deflate stream inflates beyond 1032:1 (258 bytes per two bits), so a gzip file cannot either. */
    static final long MAX_DEFLATE_RATIO = 1032;

    /** The largest byte array the JVM reliably allocates. */
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;
    private static final int GZIP_MAGIC_1 = 0x1F;
    private static final int GZIP_MAGIC_2 = 0x8B;

    private IdxReader() {
    }

    /**
     * Reads an IDX file, plain or gzip-compressed. Before opening it, checks that it is a readable
     * regular file (a FIFO or device is refused without blocking); before allocating, that the size its
     * header claims fits the file's length (plain) or what its length can inflate to (gzip), and the heap.
     *
     * @param file an IDX file, {@code .gz} or plain
     * @return the array, in memory
     * @throws IdxFormatException if the file is not a valid IDX file (the message names the file)
     * @throws NotEnoughMemoryException if the data and its conversion ({@link #CONVERSION_BYTES_PER_ELEMENT})
     *     would not fit in the heap
     * @throws org.nnjava.io.UnreadableFileException if the path is missing, a directory, not a regular
     *     file, a broken or looping link, or not readable
     * @throws IOException if the file cannot be read
     */
    public static IdxArray read(Path file) throws IOException {
        RegularFiles.requireReadableRegularFile(file, "IDX file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), Files.size(file));
        }
    }

    /**
     * Reads one IDX file, plain or gzip-compressed, from a stream, to its end; does not close it.
     *
     * @param source names the stream in messages, e.g. a file name or URL
     * @param in the stream, positioned at the file's start
     * @return the array, in memory
     * @throws IdxFormatException if the content is not a valid IDX file
     * @throws NotEnoughMemoryException if the data the header claims, and its conversion, would not fit
     *     in the heap (checked before the data is read)
     * @throws IOException if reading fails
     */
    public static IdxArray read(InputStream in, String source) throws IOException {
        return read(in, source, -1);
    }

    /** {@code length}: the file's length in bytes (plain or compressed) when known, else -1. */
    private static IdxArray read(InputStream raw, String source, long length) throws IOException {
        PushbackInputStream in = new PushbackInputStream(raw, 2);
        byte[] start = in.readNBytes(2);
        in.unread(start);
        if (start.length == 0) {
            throw new IdxFormatException(source + ": the file is empty; an IDX file starts with a 4-byte magic number"
                    + " 0x0000TTDD (type code TT, number of dimensions DD)");
        }
        if (start.length < 2 || (start[0] & 0xFF) != GZIP_MAGIC_1 || (start[1] & 0xFF) != GZIP_MAGIC_2) {
            return new Body(in, source, source, length, -1).read();
        }
        try {
            // Unbuffered above the inflater, so that nothing is inflated beyond the header's claim plus one byte.
            InputStream gzip = new GZIPInputStream(in, 1 << 16);
            return new Body(gzip, source, source + " (gzip)", -1, length).read();
        } catch (EOFException | ZipException e) {
            // What GZIPInputStream throws for a cut or damaged stream: a property of the file, not of the disk.
            throw new IdxFormatException(source + ": the gzip data is corrupt or cut short (" + e.getMessage()
                    + "); download or copy the file again", e);
        }
    }

    /** Reads the header, then the data, from a stream of IDX bytes (already decompressed). */
    private static final class Body {
        private final InputStream in;
        private final String source;
        private final String described;
        private final long length;
        private final long compressedLength;
        private int magic;

        /**
         * {@code described}: the source as messages name it, saying whether it was compressed;
         * {@code length}, {@code compressedLength}: the plain or the gzip file's length if known, else -1.
         */
        Body(InputStream in, String source, String described, long length, long compressedLength) {
            this.in = in;
            this.source = source;
            this.described = described;
            this.length = length;
            this.compressedLength = compressedLength;
        }

        IdxArray read() throws IOException {
            IdxType type = readMagic();
            int[] dims = readDims(type);
            long dataBytes = dataBytes(type, dims);
            long headerBytes = 4L + 4L * dims.length;
            checkClaim(type, dims, dataBytes, headerBytes);
            byte[] data = in.readNBytes((int) dataBytes); // grows as bytes arrive, never ahead of them
            if (data.length < dataBytes) {
                throw sizeMismatch(type, dims, dataBytes, data.length);
            }
            if (in.read() != -1) {
                throw fail("more bytes follow the data (" + need(type, dims, dataBytes)
                        + "); the file is longer than its header says: damaged, or not an IDX file");
            }
            return new IdxArray(source, type, dims, data);
        }

        /**
         * Checks the size the header claims, before anything is allocated for it: against a plain file's
         * length, against what a gzip file's length can inflate to, and against the heap (with the
         * conversion the loaders make).
         */
        private void checkClaim(IdxType type, int[] dims, long dataBytes, long headerBytes) throws IOException {
            if (length >= 0 && length - headerBytes != dataBytes) {
                throw sizeMismatch(type, dims, dataBytes, length - headerBytes);
            }
            if (compressedLength >= 0 && headerBytes + dataBytes > MAX_DEFLATE_RATIO * compressedLength) {
                throw fail(need(type, dims, dataBytes) + ", but a gzip file of " + compressedLength + " bytes"
                        + " inflates to at most " + MAX_DEFLATE_RATIO * compressedLength + " bytes (deflate's"
                        + " 1032:1); the header is damaged or the file is cut short: download or copy it again");
            }
            long elements = dataBytes / type.bytes();
            HeapCheck.require(dataBytes + elements * CONVERSION_BYTES_PER_ELEMENT, described, "the dimensions "
                    + Arrays.toString(dims) + " of " + type + " elements (" + dataBytes + " bytes of data, then "
                    + elements * CONVERSION_BYTES_PER_ELEMENT + " as a double[] for a tensor)");
        }

        private IdxType readMagic() throws IOException {
            byte[] bytes = in.readNBytes(4);
            if (bytes.length < 4) {
                throw fail("the header is cut short: " + bytes.length + " bytes, expected at least the 4-byte magic number");
            }
            magic = ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
            if (bytes[0] != 0 || bytes[1] != 0) {
                throw fail(String.format(Locale.ROOT, "wrong magic number 0x%08X: an IDX file starts with two zero bytes"
                        + " (0x0000TTDD; MNIST images 0x00000803, labels 0x00000801); this is not an IDX file", magic));
            }
            IdxType type = IdxType.ofCode(bytes[2] & 0xFF).orElseThrow(() -> fail(String.format(Locale.ROOT,
                    "unknown type code 0x%02X in the magic number 0x%08X; valid codes: %s",
                    bytes[2] & 0xFF, magic, IdxType.validCodes())));
            if (bytes[3] == 0) {
                throw fail(String.format(Locale.ROOT, "the magic number 0x%08X announces 0 dimensions; an IDX file has"
                        + " at least 1", magic));
            }
            return type;
        }

        private int[] readDims(IdxType type) throws IOException {
            int rank = magic & 0xFF;
            byte[] bytes = in.readNBytes(4 * rank);
            if (bytes.length < 4 * rank) {
                throw fail(String.format(Locale.ROOT, "the header is cut short: the magic number 0x%08X announces %d"
                        + " dimensions (%d bytes), found %d bytes of them", magic, rank, 4 * rank, bytes.length));
            }
            long[] dims = new long[rank];
            for (int axis = 0; axis < rank; axis++) {
                for (int b = 0; b < 4; b++) {
                    dims[axis] = (dims[axis] << 8) | (bytes[4 * axis + b] & 0xFF);
                }
            }
            return checkSize(type, dims);
        }

        /** The dimensions as ints, after checking that each, and their product, fits in one Java array. */
        private int[] checkSize(IdxType type, long[] dims) throws IdxFormatException {
            long bytes = type.bytes();
            for (long dim : dims) {
                if (dim > Integer.MAX_VALUE) {
                    throw fail("the dimensions " + Arrays.toString(dims) + " include " + dim + ", more than the "
                            + Integer.MAX_VALUE + " a Java array can index; the header is damaged");
                }
                bytes *= dim; // no long overflow: bytes <= MAX_DATA_BYTES < 2^31 and dim < 2^31 before each step
                if (bytes > MAX_DATA_BYTES) {
                    throw fail("the dimensions " + Arrays.toString(dims) + " of " + type + " elements need more than "
                            + MAX_DATA_BYTES + " bytes, the most a Java array holds; the header is damaged or"
                            + " the data set is too large to load at once");
                }
            }
            return Arrays.stream(dims).mapToInt(dim -> (int) dim).toArray();
        }

        private long dataBytes(IdxType type, int[] dims) {
            long bytes = type.bytes();
            for (int dim : dims) {
                bytes *= dim;
            }
            return bytes;
        }

        private IdxFormatException sizeMismatch(IdxType type, int[] dims, long expected, long found) {
            return found < expected
                    ? fail("the data is cut short: " + need(type, dims, expected) + ", found " + found
                            + "; download or copy the file again")
                    : fail((found - expected) + " bytes follow the data (" + need(type, dims, expected) + ", found "
                            + found + "); the file is longer than its header says: damaged, or not an IDX file");
        }

        /** {@code dimensions [2, 3] of 0x08 unsigned byte elements need 6 bytes after the header}. */
        private static String need(IdxType type, int[] dims, long bytes) {
            return "dimensions " + Arrays.toString(dims) + " of " + type + " elements need " + bytes
                    + " bytes after the header";
        }

        private IdxFormatException fail(String what) {
            return new IdxFormatException(described + ": " + what);
        }
    }
}
