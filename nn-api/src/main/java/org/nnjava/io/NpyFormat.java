package org.nnjava.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.nnjava.tensor.DType;

/**
 * Encodes and decodes one {@code .npy} array, as specified in numpy's {@code numpy.lib.format}: the magic
 * {@code \x93NUMPY}, a version byte pair, the header length (2 bytes little-endian in version 1.0, 4 in
 * 2.0 and 3.0), the header dict padded with spaces and ended by {@code '\n'} so that the data starts at a
 * multiple of 64 bytes, then the elements in C order.
 */
final class NpyFormat {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Magic, version and a version-1.0 header length: the bytes before the header. */
    private static final int PREFIX_V1 = MAGIC.length + 2 + 2;

    private static final int ARRAY_ALIGN = 64;

    /** Data is read and decoded this many bytes at a time (a multiple of every item size). */
    private static final int CHUNK_BYTES = 64 << 10;

    /** The value array's first capacity, in elements: 1 MiB of doubles, then doubling as data arrives. */
    private static final int FIRST_CAPACITY = 1 << 17;

    /**
     * The most header bytes read, whatever the length field claims. A float array's header is under
     * 3 KiB even at 64 dimensions, and numpy itself refuses headers over 10,000 characters when loading
     * without pickles; the cap only keeps a corrupt length field from costing memory. 64 KiB - 1 is
     * also the most a version-1.0 file can hold.
     */
    static final int MAX_HEADER_BYTES = 0xFFFF;

    private NpyFormat() {
    }

    /**
     * The bytes of a version-1.0 {@code .npy} file holding {@code array}, identical to numpy's
     * {@code np.save} of the same little-endian C-ordered array. Version 1.0 always suffices: the
     * header of at most 64 dimensions stays far below its 65,535-byte limit.
     *
     * @throws IllegalArgumentException if the array has more than 64 dimensions (numpy's limit) or
     *     its data exceeds {@link NpyHeader#MAX_DATA_BYTES}
     */
    static byte[] encode(NpyArray array) {
        if (array.shape().rank() > NpyHeader.MAX_RANK) {
            throw new IllegalArgumentException("cannot save " + array + ": " + array.shape().rank()
                    + " dimensions, more than the " + NpyHeader.MAX_RANK + " numpy allows; reshape it");
        }
        NpyHeader header = new NpyHeader(NpyDescr.forWriting(array.dtype()), array.shape());
        byte[] dict = header.dictText().getBytes(StandardCharsets.US_ASCII);
        int unpadded = PREFIX_V1 + dict.length + 1;
        int padding = ARRAY_ALIGN - unpadded % ARRAY_ALIGN; // 1..64: numpy pads a full 64 when already aligned
        int headerLength = dict.length + padding + 1;
        long total = PREFIX_V1 + headerLength + header.dataBytes();
        if (total > NpyHeader.MAX_DATA_BYTES) {
            throw new IllegalArgumentException("cannot save " + array + ": its .npy entry would be " + total
                    + " bytes, more than the " + NpyHeader.MAX_DATA_BYTES + " a Java array holds; split the tensor");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLength).put(dict);
        for (int i = 0; i < padding; i++) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        if (array.dtype() == DType.FLOAT64) {
            out.asDoubleBuffer().put(array.float64Data());
        } else {
            out.asFloatBuffer().put(array.float32Data());
        }
        return out.array();
    }

    /**
     * Reads one {@code .npy} array from {@code in}, which must hold exactly one and nothing after it,
     * without a byte budget; see {@link #decode(InputStream, long, String, ByteBudget)}.
     */
    static NpyArray decode(InputStream in, long entrySize, String where) throws IOException {
        return decode(in, entrySize, where, ByteBudget.unlimited());
    }

    /**
     * Reads one {@code .npy} array from {@code in}, which must hold exactly one and nothing after it.
     * Reads at most the header cap plus the bytes the header's shape needs, plus one to detect excess.
     *
     * @param entrySize the size the zip directory declares for the entry, or -1 if unknown; checked
     *     against the header before any data is read, so a lying entry costs no memory
     * @param where the file and entry, for messages
     * @param budget claimed for the header's data size before any of it is allocated
     * @throws CheckpointFormatException if the bytes are not such an array (see {@link NpyHeader#fromDict}),
     *     or the array does not fit in the budget
     * @throws IOException if reading fails
     */
    static NpyArray decode(InputStream in, long entrySize, String where, ByteBudget budget) throws IOException {
        int version = readVersion(in, where);
        int lengthBytes = version == 1 ? 2 : 4;
        byte[] headerBytes = readHeader(in, lengthBytes, where);
        // Latin-1 maps every byte to one char; the parser then accepts printable ASCII only, which is
        // the same text in the latin1 of versions 1.0 and 2.0 and the UTF-8 of version 3.0.
        String text = new String(headerBytes, StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.fromDict(HeaderDictParser.parse(text, where), where);
        long expected = (long) MAGIC.length + 2 + lengthBytes + headerBytes.length + header.dataBytes();
        if (entrySize >= 0 && entrySize != expected) {
            long found = Math.max(0, entrySize - (expected - header.dataBytes()));
            throw entrySize < expected ? truncated(header, found, where) : tooLong(header, where);
        }
        budget.claim(header.dataBytes(), where, header.describe());
        return readData(in, header, where);
    }

    /** Whether {@code bytes} start with the {@code .npy} magic, as numpy checks to tell an array entry. */
    static boolean startsWithMagic(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /** Reads and checks the magic and the version; returns the major version (1, 2 or 3). */
    private static int readVersion(InputStream in, String where) throws IOException {
        byte[] prefix = in.readNBytes(MAGIC.length + 2);
        if (prefix.length < MAGIC.length || !Arrays.equals(prefix, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CheckpointFormatException(where + ": not a .npy array: it starts with bytes ["
                    + hex(prefix) + "] instead of the magic \\x93NUMPY");
        }
        if (prefix.length < MAGIC.length + 2) {
            throw new CheckpointFormatException(where + ": .npy file is truncated: it ends inside the version bytes");
        }
        int major = prefix[MAGIC.length] & 0xFF;
        int minor = prefix[MAGIC.length + 1] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new CheckpointFormatException(where + ": unsupported .npy format version " + major + "." + minor
                    + "; supported: 1.0, 2.0, 3.0");
        }
        return major;
    }

    /** Reads the header length field and then the header, refusing lengths above {@link #MAX_HEADER_BYTES}. */
    private static byte[] readHeader(InputStream in, int lengthBytes, String where) throws IOException {
        byte[] field = in.readNBytes(lengthBytes);
        if (field.length < lengthBytes) {
            throw new CheckpointFormatException(where + ": .npy header is truncated: the file ends inside the "
                    + lengthBytes + "-byte header length");
        }
        long length = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            length = (length << 8) | (field[i] & 0xFF); // little-endian, unsigned
        }
        if (length > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(where + ": .npy header length " + length + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes; a float array's header is a few hundred bytes, so the file is"
                    + " corrupt or not a checkpoint");
        }
        byte[] header = in.readNBytes((int) length);
        if (header.length < length) {
            throw new CheckpointFormatException(where + ": .npy header is truncated: its length field says "
                    + length + " bytes but only " + header.length + " follow");
        }
        return header;
    }

    /**
     * Reads exactly the data the header needs, in chunks decoded straight into the value array, and
     * checks that nothing follows it. The value array grows as data arrives (as readNBytes does), so a
     * header claiming a huge shape over a short entry costs only the bytes actually present, and the
     * peak is the values plus one chunk rather than bytes and values both.
     */
    private static NpyArray readData(InputStream in, NpyHeader header, String where) throws IOException {
        int count = header.shape().size();
        int itemSize = header.descr().itemSize();
        boolean float64 = header.descr().dtype() == DType.FLOAT64;
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(header.descr().order());
        double[] doubles = float64 ? new double[Math.min(count, FIRST_CAPACITY)] : null;
        float[] floats = float64 ? null : new float[Math.min(count, FIRST_CAPACITY)];
        for (int done = 0; done < count; ) {
            int n = Math.min(CHUNK_BYTES / itemSize, count - done);
            int got = in.readNBytes(chunk.array(), 0, n * itemSize);
            if (got < n * itemSize) {
                throw truncated(header, (long) done * itemSize + got, where);
            }
            chunk.position(0).limit(n * itemSize);
            if (float64) {
                doubles = ensureCapacity(doubles, done + n, count);
                chunk.asDoubleBuffer().get(doubles, done, n);
            } else {
                floats = ensureCapacity(floats, done + n, count);
                chunk.asFloatBuffer().get(floats, done, n);
            }
            done += n;
        }
        if (in.read() != -1) {
            throw tooLong(header, where);
        }
        int[] dims = header.shape().dims();
        return float64 ? NpyArray.wrapFloat64(doubles, dims) : NpyArray.wrapFloat32(floats, dims);
    }

    private static double[] ensureCapacity(double[] values, int needed, int count) {
        return needed <= values.length ? values : Arrays.copyOf(values, grown(values.length, needed, count));
    }

    private static float[] ensureCapacity(float[] values, int needed, int count) {
        return needed <= values.length ? values : Arrays.copyOf(values, grown(values.length, needed, count));
    }

    /** Doubling, capped at the element count. */
    private static int grown(int capacity, int needed, int count) {
        return (int) Math.min(count, Math.max(needed, 2L * capacity));
    }

    private static CheckpointFormatException truncated(NpyHeader header, long found, String where) {
        return new CheckpointFormatException(where + ": data is truncated: " + header.describe() + " needs "
                + header.dataBytes() + " bytes of data, the entry holds " + found);
    }

    private static CheckpointFormatException tooLong(NpyHeader header, String where) {
        return new CheckpointFormatException(where + ": data is longer than the " + header.dataBytes()
                + " bytes that " + header.describe() + " needs; the entry is corrupt or its header names the"
                + " wrong shape");
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(text.length() == 0 ? "" : " ").append(String.format("%02x", b & 0xFF));
        }
        return text.toString();
    }
}
