package org.nnjava.io;

/**
 * The bytes one pickle load may still allocate: the file's own bytes, the text it decodes and the
 * arrays it builds, each claimed before it is allocated. The style of {@link ByteBudget}, with a
 * message that points at {@link Pickles#load(java.nio.file.Path, long)}.
 */
final class PickleBudget {

    private final long limit;
    private long used;

    PickleBudget(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("byteBudget must be at least 0, not " + limit);
        }
        this.limit = limit;
    }

    /**
     * Claims {@code bytes} for {@code what}.
     *
     * @param context the file, and the opcode that allocates, starting the message
     * @throws CheckpointFormatException if the claim would pass the limit; nothing is claimed then
     */
    void claim(long bytes, String context, String what) throws CheckpointFormatException {
        if (bytes > limit - used) {
            throw new CheckpointFormatException(context + ": " + what + " needs " + bytes + " bytes; with the "
                    + used + " bytes this load has already claimed, that exceeds the byte budget of " + limit
                    + " bytes for one pickle. If the file is genuine, load it with Pickles.load(file, byteBudget)"
                    + " and a larger budget, or give the JVM more memory (-Xmx), which raises the default budget");
        }
        used += bytes;
    }
}
