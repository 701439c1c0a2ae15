package org.nnjava.io;

import java.util.Locale;
import java.util.Optional;

/**
 * The rule for entry names in an {@code .npz}: each array {@code W1} is the zip entry {@code W1.npy};
 * any other entry (such as {@code checkpoint.json}) is a file kept as bytes. Every name is flat, so that
 * no entry can point outside the archive if someone unzips it. The same rule guards saving (a name we
 * would refuse to load is refused up front) and loading.
 */
final class NpzNames {

    static final String SUFFIX = ".npy";

    private NpzNames() {
    }

    /**
     * Checks an array name before saving.
     *
     * @throws IllegalArgumentException if the name is empty or holds a path or control character
     */
    static void checkForSaving(String name) {
        problem(name).ifPresent(problem -> {
            throw new IllegalArgumentException("array name '" + name + "' " + problem
                    + "; use flat names such as W1 or b1");
        });
    }

    /**
     * Checks the name of a non-array entry before saving: flat, as an array name, and with an extension
     * other than {@code .npy} (numpy reads an entry {@code x.npy} as the array {@code x}).
     *
     * @throws IllegalArgumentException if the name is unsafe or has no such extension
     */
    static void checkFileForSaving(String name) {
        Optional<String> problem = problem(name);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("file entry name '" + name + "' " + problem.get()
                    + "; use flat names such as checkpoint.json");
        }
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1 || name.toLowerCase(Locale.ROOT).endsWith(SUFFIX)) {
            throw new IllegalArgumentException("file entry name '" + name + "' needs an extension other than"
                    + " .npy, such as checkpoint.json: numpy reads '<name>.npy' entries as arrays");
        }
    }

    /** Whether a zip entry holds an array ({@code <name>.npy}) rather than a file. */
    static boolean isArrayEntry(String entryName) {
        return entryName.endsWith(SUFFIX);
    }

    /**
     * Checks that an entry name is flat, whatever the entry holds.
     *
     * @param where the file and entry, for messages
     * @throws CheckpointFormatException if the entry name could reach outside the archive
     */
    static void checkEntryName(String entryName, String where) throws CheckpointFormatException {
        Optional<String> problem = problem(entryName);
        if (problem.isPresent()) {
            throw new CheckpointFormatException(where + ": entry name " + problem.get()
                    + "; an .npz holds flat names such as 'W1.npy', so the file is refused");
        }
    }

    /**
     * The array name of a zip entry: {@code W1} for {@code W1.npy}.
     *
     * @param where the file and entry, for messages
     * @throws CheckpointFormatException if the entry name could reach outside the archive or is not
     *     {@code <name>.npy} with a non-empty name
     */
    static String arrayName(String entryName, String where) throws CheckpointFormatException {
        checkEntryName(entryName, where);
        if (!isArrayEntry(entryName) || entryName.length() == SUFFIX.length()) {
            throw new CheckpointFormatException(where + ": entry is not an array: the entries of an .npz are"
                    + " named '<name>.npy'");
        }
        return entryName.substring(0, entryName.length() - SUFFIX.length());
    }

    /** Why a name is unsafe, or empty if it is fine. Order: the most telling reason first. */
    private static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("is empty");
        } else if (name.contains("..")) {
            return Optional.of("contains '..' (a path traversal)");
        } else if (name.startsWith("/")) {
            return Optional.of("is an absolute path");
        } else if (name.contains("\\")) {
            return Optional.of("contains a backslash (a Windows path separator)");
        } else if (name.contains("/")) {
            return Optional.of("contains '/' (a directory inside the archive)");
        } else if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("contains a control character");
        }
        return Optional.empty();
    }
}
