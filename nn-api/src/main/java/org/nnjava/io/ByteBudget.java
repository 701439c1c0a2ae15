package org.nnjava.io;

/**
 * The bytes one load may still allocate for the arrays and files of an archive. Each entry claims its
 * declared size before anything is allocated for it, so an archive whose entries together declare more
 * than the budget fails at the first entry past it, having allocated nothing for that entry.
 */
final class ByteBudget {

    private final long limit;
    private long used;

    ByteBudget(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("byteBudget must be at least 0, not " + limit);
        }
        this.limit = limit;
    }

    /** No limit beyond what a Java array can hold: for decoding a single array in tests. */
    static ByteBudget unlimited() {
        return new ByteBudget(Long.MAX_VALUE);
    }

    /**
     * Claims {@code bytes} for the entry at {@code where}, holding {@code what}.
     *
     * @throws CheckpointFormatException if the claim would pass the limit; nothing is claimed then
     */
    void claim(long bytes, String where, String what) throws CheckpointFormatException {
        if (bytes > limit - used) {
            throw new CheckpointFormatException(where + ": " + what + " needs " + bytes + " bytes; with the "
                    + used + " bytes of the entries before it, that exceeds the byte budget of " + limit
                    + " bytes for one .npz. If the file is genuine, load it with Npz.load(file, byteBudget) or"
                    + " Npz.loadArchive(file, byteBudget) and a larger budget, or give the JVM more memory"
                    + " (-Xmx; for ./nn, JAVA_OPTS=-Xmx4g), which raises the default budget");
        }
        used += bytes;
    }
}
