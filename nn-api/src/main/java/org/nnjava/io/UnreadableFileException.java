package org.nnjava.io;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * An input file that cannot be read as one: missing, a directory, a FIFO or device (which could block
 * forever or never end), a symbolic link that leads nowhere or in a loop, or a file without read
 * permission. Thrown by {@link RegularFiles#requireReadableRegularFile} before the file is opened.
 *
 * <p>The message is a whole sentence that names what the file was for, the path, the problem and the
 * fix; {@link #problem()} tells the cases apart for code. A {@link FileSystemException}, so that
 * {@link #getFile()} gives the path and existing {@code catch (IOException e)} blocks handle it.
 */
public class UnreadableFileException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the path. */
    public enum Problem {
        /** Nothing exists at the path. */
        MISSING,
        /** A directory where a file is expected. */
        DIRECTORY,
        /** A FIFO, socket, device or other special file. */
        NOT_REGULAR,
        /** A symbolic link whose target is missing. */
        DANGLING_LINK,
        /** A symbolic link that cannot be resolved (a loop, or too many levels). */
        LINK_LOOP,
        /** The file, or a directory on its path, may not be read by this process. */
        ACCESS_DENIED,
        /** Any other reason the file system gave. */
        OTHER
    }

    /**
     * Which case this is.
     */
    private final Problem problem;

    /**
     * An exception about {@code file}.
     *
     * @param file the path given
     * @param problem which case it is
     * @param message the whole sentence: what, the path, the problem and the fix
     */
    public UnreadableFileException(Path file, Problem problem, String message) {
        super(String.valueOf(file), null, message);
        this.problem = problem;
    }

    /**
     * Which case this is.
     *
     * @return the problem
     */
    public Problem problem() {
        return problem;
    }

    /** The whole message, without the path prefix {@link FileSystemException} would add (it names the path). */
    @Override
    public String getMessage() {
        return getReason();
    }
}
