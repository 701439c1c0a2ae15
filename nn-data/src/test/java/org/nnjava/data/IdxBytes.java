package org.nnjava.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * Writes IDX files for the tests, from the format's definition and independently of the reader:
 * {@link DataOutputStream} writes big-endian, as IDX is.
 */
final class IdxBytes {

    private IdxBytes() {
    }

    /** An IDX file with magic {@code 0x0000 typeCode rank}, the dims, then {@code values} in the type's encoding. */
    static byte[] idx(int typeCode, int[] dims, double... values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[] {0, 0, (byte) typeCode, (byte) dims.length});
            for (int dim : dims) {
                out.writeInt(dim);
            }
            for (double v : values) {
                switch (typeCode) {
                    case 0x08: case 0x09: out.writeByte((int) v); break;
                    case 0x0B: out.writeShort((int) v); break;
                    case 0x0C: out.writeInt((int) v); break;
                    case 0x0D: out.writeFloat((float) v); break;
                    case 0x0E: out.writeDouble(v); break;
                    default: throw new IllegalArgumentException("type code " + typeCode);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** An unsigned-byte IDX file. */
    static byte[] ubyte(int[] dims, int... values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return idx(0x08, dims, wide);
    }

    /** A header alone: magic bytes then raw dimension words (which may exceed int). */
    static byte[] header(int typeCode, long... dims) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[] {0, 0, (byte) typeCode, (byte) dims.length});
            for (long dim : dims) {
                out.writeInt((int) dim); // the low 32 bits: 0xFFFFFFFF for 4294967295
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code bytes} gzip-compressed. */
    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code a} followed by {@code b}. */
    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
