package org.nnjava.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads an {@code .npz} with every size bounded before it is allocated: the file must be a regular file;
 * the entry count is capped; each entry's declared sizes must be possible for its compression method;
 * each array claims its header's data size from the byte budget before it is read, and is read no
 * further than that size plus one byte; each file entry is capped and claims its size too.
 */
final class NpzReader {

    /** Deflate emits at most 258 bytes per two bits, so no deflate stream inflates beyond 1032:1. */
    static final long MAX_DEFLATE_RATIO = 1032;

    private NpzReader() {
    }

    /**
     * Reads the archive; with {@code keepFiles} false, file entries are checked by name and size but not read.
     *
     * @throws CheckpointFormatException naming the file, the entry and the rule broken
     * @throws UnreadableFileException if the path is not a readable regular file
     */
    static NpzArchive read(Path file, long byteBudget, boolean keepFiles) throws IOException {
        ByteBudget budget = ByteBudget.forNpz(byteBudget);
        RegularFiles.requireReadableRegularFile(file, "checkpoint");
        String where = "checkpoint " + file;
        try (ZipFile zip = open(file, where)) {
            Map<String, NpyArray> arrays = new LinkedHashMap<>();
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (ZipEntry entry : entries(zip, where)) {
                String entryWhere = where + ", entry '" + entry.getName() + "'";
                checkDeclaredSizes(entry, entryWhere);
                if (NpzNames.isArrayEntry(entry.getName())) {
                    arrays.put(NpzNames.arrayName(entry.getName(), entryWhere), readArray(zip, entry, entryWhere, budget));
                } else if (keepFiles) {
                    files.put(entry.getName(), readFile(zip, entry, entryWhere, budget));
                } else {
                    checkFileSize(entry, entryWhere);
                }
            }
            return new NpzArchive(arrays, files);
        }
    }

    private static ZipFile open(Path file, String where) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException | EOFException e) { // EOF: a directory that points past the end of the file
            String method = ZipMethods.firstUnsupported(file).orElse(null);
            if (method != null) {
                throw new CheckpointFormatException(where + ": " + method + "; only stored and deflated entries"
                        + " are supported: re-save it with np.savez or np.savez_compressed", e);
            }
            throw new CheckpointFormatException(where + ": not a zip archive (an .npz file is a zip of .npy"
                    + " arrays, as np.savez writes): " + e.getMessage(), e);
        }
    }

    /** The entries in archive order, their count capped and every name checked before any data is read. */
    private static List<ZipEntry> entries(ZipFile zip, String where) throws CheckpointFormatException {
        if (zip.size() > Npz.MAX_ENTRIES) {
            throw new CheckpointFormatException(where + ": the archive has " + zip.size() + " entries, more than"
                    + " the " + Npz.MAX_ENTRIES + " an .npz may hold here (Npz.MAX_ENTRIES); a checkpoint holds"
                    + " one entry per array, so the file is corrupt or not a checkpoint");
        }
        List<ZipEntry> entries = new ArrayList<>(zip.size());
        try {
            zip.entries().asIterator().forEachRemaining(entries::add);
        } catch (IllegalArgumentException e) { // ZipFile's report of an entry name that is not valid UTF-8
            throw new CheckpointFormatException(where + ": an entry name is not valid UTF-8: " + e.getMessage(), e);
        }
        Set<String> seen = new HashSet<>();
        for (ZipEntry entry : entries) {
            String entryWhere = where + ", entry '" + entry.getName() + "'";
            if (NpzNames.isArrayEntry(entry.getName())) {
                NpzNames.arrayName(entry.getName(), entryWhere);
            } else {
                NpzNames.checkEntryName(entry.getName(), entryWhere);
            }
            if (!seen.add(entry.getName())) {
                throw new CheckpointFormatException(entryWhere + ": the archive has two entries named '"
                        + entry.getName() + "'; each array name must be unique");
            }
        }
        return entries;
    }

    /** Sizes the method makes impossible are forged: refused before a byte is inflated. */
    private static void checkDeclaredSizes(ZipEntry entry, String where) throws CheckpointFormatException {
        long size = entry.getSize();
        long compressed = entry.getCompressedSize();
        if (size < 0 || compressed < 0) {
            throw new CheckpointFormatException(where + ": the zip directory gives no size for the entry;"
                    + " the archive is corrupt");
        }
        if (entry.getMethod() == ZipEntry.STORED && size != compressed) {
            throw new CheckpointFormatException(where + ": a stored entry declares " + size + " bytes but occupies "
                    + compressed + "; the zip directory is corrupt");
        }
        if (entry.getMethod() == ZipEntry.DEFLATED && size > MAX_DEFLATE_RATIO * compressed) {
            throw new CheckpointFormatException(where + ": the entry declares " + size + " bytes inflated from "
                    + compressed + " compressed bytes, more than the " + MAX_DEFLATE_RATIO + ":1 deflate can"
                    + " reach; its sizes are forged (a zip bomb), so the file is refused");
        }
    }

    private static NpyArray readArray(ZipFile zip, ZipEntry entry, String where, ByteBudget budget)
            throws IOException {
        try (InputStream raw = zip.getInputStream(entry);
                CheckedInputStream in = new CheckedInputStream(raw, new CRC32())) {
            NpyArray array = NpyFormat.decode(in, entry.getSize(), where, budget);
            checkCrc(entry, in, where);
            return array;
        } catch (ZipException | EOFException e) { // corrupt compressed data, or an entry cut short
            throw new CheckpointFormatException(where + ": the zip data is corrupt: " + e.getMessage(), e);
        }
    }

    private static byte[] readFile(ZipFile zip, ZipEntry entry, String where, ByteBudget budget)
            throws IOException {
        checkFileSize(entry, where);
        budget.claim(entry.getSize(), where, "a file entry of " + entry.getSize() + " bytes");
        try (InputStream raw = zip.getInputStream(entry);
                CheckedInputStream in = new CheckedInputStream(raw, new CRC32())) {
            byte[] content = in.readNBytes((int) entry.getSize());
            if (content.length < entry.getSize() || in.read() != -1) {
                throw new CheckpointFormatException(where + ": the entry's data is " + (content.length
                        < entry.getSize() ? "shorter" : "longer") + " than the " + entry.getSize()
                        + " bytes the zip directory declares; the archive is corrupt");
            }
            checkCrc(entry, in, where);
            return content;
        } catch (ZipException | EOFException e) {
            throw new CheckpointFormatException(where + ": the zip data is corrupt: " + e.getMessage(), e);
        }
    }

    private static void checkFileSize(ZipEntry entry, String where) throws CheckpointFormatException {
        if (entry.getSize() > Npz.MAX_FILE_ENTRY_BYTES) {
            throw new CheckpointFormatException(where + ": a file entry of " + entry.getSize() + " bytes, more"
                    + " than the " + Npz.MAX_FILE_ENTRY_BYTES + " a non-array entry may hold"
                    + " (Npz.MAX_FILE_ENTRY_BYTES); store large data as arrays ('<name>.npy')");
        }
    }

    private static void checkCrc(ZipEntry entry, CheckedInputStream in, String where)
            throws CheckpointFormatException {
        if (entry.getCrc() != -1 && in.getChecksum().getValue() != entry.getCrc()) {
            throw new CheckpointFormatException(where + ": CRC-32 mismatch: the entry's data is corrupt");
        }
    }
}
