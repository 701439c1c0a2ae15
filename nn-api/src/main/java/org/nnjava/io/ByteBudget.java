package org.nnjava.io;

/**
 * The bytes one load may still allocate: for an archive, the arrays and files of its entries; for a
 * pickle, the file's own bytes, the text it decodes and the arrays it builds. Each claim is made before
 * anything is allocated for it, so a file whose claims together pass the budget fails at the first claim
 * past it, having allocated nothing for that claim.
 */
final class ByteBudget {

    private final long limit;
    private final String earlier;
    private final String file;
    private final String retry;
    private long used;

    private ByteBudget(long limit, String earlier, String file, String retry) {
        if (limit < 0) {
            throw new IllegalArgumentException("byteBudget must be at least 0, not " + limit);
        }
        this.limit = limit;
        this.earlier = earlier;
        this.file = file;
        this.retry = retry;
    }

    /** The budget of one {@code .npz} load ({@link Npz}). */
    static ByteBudget forNpz(long limit) {
        return new ByteBudget(limit, "of the entries before it", ".npz",
                "Npz.load(file, byteBudget) or Npz.loadArchive(file, byteBudget)");
    }

    /** The budget of one pickle load ({@link Pickles}). */
    static ByteBudget forPickle(long limit) {
        return new ByteBudget(limit, "this load has already claimed", "pickle", "Pickles.load(file, byteBudget)");
    }

    /** No limit beyond what a Java array can hold: for decoding a single array in tests. */
    static ByteBudget unlimited() {
        return forNpz(Long.MAX_VALUE);
    }

    /**
     * Claims {@code bytes} for {@code what}, read at {@code where}.
     *
     * @param where the file and the entry or opcode that allocates, starting the message
     * @throws CheckpointFormatException if the claim would pass the limit; nothing is claimed then
     */
    void claim(long bytes, String where, String what) throws CheckpointFormatException {
        if (bytes > limit - used) {
            throw new CheckpointFormatException(where + ": " + what + " needs " + bytes + " bytes; with the "
                    + used + " bytes " + earlier + ", that exceeds the byte budget of " + limit
                    + " bytes for one " + file + ". If the file is genuine, load it with " + retry + " and a larger"
                    + " budget, or give the JVM more memory (-Xmx; for ./nn, JAVA_OPTS=-Xmx4g), which raises the"
                    + " default budget");
        }
        used += bytes;
    }
}
