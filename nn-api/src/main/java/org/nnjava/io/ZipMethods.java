package org.nnjava.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the entry that made {@link java.util.zip.ZipFile} refuse an archive for its compression method.
 * The JDK reads only stored and deflated entries and reports any other method as an invalid central
 * directory, which names neither the entry nor the method; this reads the central directory (the
 * PKWARE APPNOTE layout) just far enough to say which entry uses which method. Best effort: any
 * archive it cannot follow gives an empty result, and the caller keeps the JDK's message.
 */
final class ZipMethods {

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int END_SIZE = 22;
    private static final int CENTRAL_SIZE = 46;
    private static final int MAX_COMMENT = 0xFFFF;
    /** The most central directory bytes read: far more than {@link Npz#MAX_ENTRIES} entries need. */
    private static final int MAX_DIRECTORY_BYTES = 16 << 20;

    private static final Map<Integer, String> NAMES = Map.of(1, "shrink", 6, "implode", 9, "deflate64",
            12, "bzip2", 14, "LZMA", 93, "Zstandard", 95, "xz", 98, "PPMd", 99, "AES encryption");

    private ZipMethods() {
    }

    /** {@code entry 'W1.npy' is compressed with bzip2 (method 12)} for the first such entry, if any. */
    static Optional<String> firstUnsupported(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer end = endRecord(channel);
            if (end == null) {
                return Optional.empty();
            }
            long size = Integer.toUnsignedLong(end.getInt(12));
            long offset = Integer.toUnsignedLong(end.getInt(16));
            if (size > MAX_DIRECTORY_BYTES || offset + size > channel.size()) {
                return Optional.empty();
            }
            ByteBuffer directory = read(channel, offset, (int) size);
            return directory == null ? Optional.empty() : scan(directory);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The end-of-central-directory record, searched backwards over the largest possible comment. */
    private static ByteBuffer endRecord(FileChannel channel) throws IOException {
        long length = channel.size();
        int tail = (int) Math.min(length, END_SIZE + MAX_COMMENT);
        ByteBuffer buffer = read(channel, length - tail, tail);
        if (buffer == null) {
            return null;
        }
        for (int at = tail - END_SIZE; at >= 0; at--) {
            if (buffer.getInt(at) == END_SIGNATURE) {
                return buffer.position(at).slice().order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        return null;
    }

    private static Optional<String> scan(ByteBuffer directory) {
        int at = 0;
        while (at + CENTRAL_SIZE <= directory.limit() && directory.getInt(at) == CENTRAL_SIGNATURE) {
            int method = Short.toUnsignedInt(directory.getShort(at + 10));
            int nameLength = Short.toUnsignedInt(directory.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(directory.getShort(at + 30));
            int commentLength = Short.toUnsignedInt(directory.getShort(at + 32));
            if (at + CENTRAL_SIZE + nameLength > directory.limit()) {
                return Optional.empty();
            }
            if (method != 0 && method != 8) {
                byte[] name = new byte[nameLength];
                directory.get(at + CENTRAL_SIZE, name);
                return Optional.of("entry '" + new String(name, StandardCharsets.UTF_8) + "' is compressed with "
                        + NAMES.getOrDefault(method, "an unknown method") + " (method " + method + ")");
            }
            at += CENTRAL_SIZE + nameLength + extraLength + commentLength;
        }
        return Optional.empty();
    }

    private static ByteBuffer read(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                return null;
            }
        }
        return buffer.clear();
    }
}
