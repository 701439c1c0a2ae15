package org.nnjava.data;

/**
 * Checks, before a large allocation, that the heap can take it: {@code Runtime.maxMemory()} less what
 * is in use, less a margin of {@code max(16 MiB, maxMemory / 16)} for everything else the program
 * allocates meanwhile. Garbage counts as in use until collected, so a failing check asks for one
 * collection and measures again before it refuses.
 */
final class HeapCheck {

    private static final long MIN_MARGIN = 16L << 20;
    private static final long GIB = 1L << 30;

    private HeapCheck() {
    }

    /**
     * Refuses {@code bytes} for {@code source} when the heap cannot take them.
     *
     * @param what what the bytes are for, in the message: {@code "dimensions [60000, 28, 28] of ..."}
     * @throws NotEnoughMemoryException naming the source, the need, the heap and the {@code -Xmx} to give
     */
    static void require(long bytes, String source, String what) throws NotEnoughMemoryException {
        if (bytes <= available()) {
            return;
        }
        System.gc(); // only on this failing path: what is "used" may be garbage not yet collected
        long available = available();
        if (bytes > available) {
            throw notEnough(bytes, available, Runtime.getRuntime().maxMemory(), source, what);
        }
    }

    /** The heap bytes free for a new allocation, after the margin; may be negative. */
    static long available() {
        Runtime runtime = Runtime.getRuntime();
        long max = runtime.maxMemory();
        long used = runtime.totalMemory() - runtime.freeMemory();
        return max - used - Math.max(MIN_MARGIN, max / 16);
    }

    /** The exception, on given numbers: separate so that its message can be tested without a small heap. */
    static NotEnoughMemoryException notEnough(long bytes, long available, long max, String source, String what) {
        long suggestedGib = (max - Math.max(0, available) + bytes + GIB - 1) / GIB + 1;
        return new NotEnoughMemoryException(source + ": " + what + " need " + bytes + " bytes of memory, but this"
                + " JVM has only " + Math.max(0, available) + " bytes free of its maximum heap of " + max + " bytes."
                + " If the file is genuine, give the JVM more memory: java -Xmx" + suggestedGib + "g, or for ./nn"
                + " JAVA_OPTS=-Xmx" + suggestedGib + "g ./nn ...; otherwise its header is damaged: download or"
                + " copy the file again", bytes, Math.max(0, available));
    }
}
