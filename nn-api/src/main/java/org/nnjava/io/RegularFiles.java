package org.nnjava.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.nnjava.io.UnreadableFileException.Problem;

/**
 * The check every loader makes before it opens an input file (a checkpoint, an IDX file, a data
 * directory's files): the path must be a readable regular file. A FIFO or device would block or never
 * end, a directory or a broken link would fail later with a message that misleads ("no such file or
 * directory"); here each case gets its own message, before anything is opened.
 */
public final class RegularFiles {

    private RegularFiles() {
    }

    /**
     * Checks that {@code file} is a regular file this process may read, following symbolic links (a
     * link to a regular file is fine). Reads only the file's attributes: never opens it, so a FIFO
     * cannot block the check.
     *
     * @param what what the file is for, starting the message: {@code "checkpoint"}, {@code "IDX file"}
     * @param file the path to check
     * @throws UnreadableFileException if it is missing, a directory, not a regular file, a dangling or
     *     looping link, or not readable; the message names {@code what}, the path, the problem and the fix
     */
    public static void requireReadableRegularFile(Path file, String what) throws UnreadableFileException {
        BasicFileAttributes attributes = attributes(file, what);
        if (attributes.isDirectory()) {
            throw fail(file, Problem.DIRECTORY, what, "is a directory; give the path of a file");
        }
        if (!attributes.isRegularFile()) {
            throw fail(file, Problem.NOT_REGULAR, what, "is not a regular file but a FIFO, socket or device,"
                    + " which could block or never end; give the path of a regular file");
        }
        if (!Files.isReadable(file)) {
            throw fail(file, Problem.ACCESS_DENIED, what, "cannot be read: permission denied; grant read"
                    + " permission (chmod u+r) or run as its owner");
        }
    }

    private static BasicFileAttributes attributes(Path file, String what) throws UnreadableFileException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw isLink(file)
                    ? fail(file, Problem.DANGLING_LINK, what, "is a symbolic link to " + target(file)
                            + ", which does not exist; fix or remove the link")
                    : fail(file, Problem.MISSING, what, "does not exist; check the path");
        } catch (AccessDeniedException e) {
            throw fail(file, Problem.ACCESS_DENIED, what, "cannot be reached: permission denied on it or a"
                    + " directory above it; grant access or run as its owner");
        } catch (FileSystemException e) {
            throw isLink(file)
                    ? fail(file, Problem.LINK_LOOP, what, "is a symbolic link that cannot be resolved ("
                            + e.getReason() + "): the links form a loop or are nested too deep; point it at a file")
                    : fail(file, Problem.OTHER, what, "cannot be read: " + e.getReason());
        } catch (IOException e) {
            throw fail(file, Problem.OTHER, what, "cannot be read: " + e.getMessage());
        }
    }

    private static boolean isLink(Path file) {
        return Files.isSymbolicLink(file);
    }

    private static String target(Path link) {
        try {
            return "'" + Files.readSymbolicLink(link) + "'";
        } catch (IOException | UnsupportedOperationException e) {
            return "a path";
        }
    }

    private static UnreadableFileException fail(Path file, Problem problem, String what, String text) {
        return new UnreadableFileException(file, problem, what + " " + file + " " + text);
    }
}
