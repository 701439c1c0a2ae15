package org.nnjava.benchmarks.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What {@code nn bench} measures about memory, with what the JVM and Linux offer:
 *
 * <ul>
 *   <li>heap bytes allocated by a thread, from {@code com.sun.management.ThreadMXBean} (HotSpot counts
 *       every TLAB and outside-TLAB allocation of the thread, exactly). It sees the Java heap only:
 *       ND4J's data buffers are off-heap, and work handed to other threads (EJML's concurrent matrix
 *       products) is counted only by {@link #allocatedBytesAllThreads()};</li>
 *   <li>the peak heap in use since {@link #resetPeaks()}: the sum of each heap pool's peak (the pools
 *       peak at different moments, so an upper bound on the true peak, and with G1 it tracks how big
 *       the young generation was allowed to grow, not only what the program kept);</li>
 *   <li>the peak resident set size ({@code VmHWM} in {@code /proc/self/status}), which covers native
 *       memory too; {@link #resetPeaks()} resets it by writing 5 to {@code /proc/self/clear_refs}
 *       (Linux 4.0+), so each measurement gets its own peak where that is allowed.</li>
 * </ul>
 */
final class BenchMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private final com.sun.management.ThreadMXBean threads;
    private boolean rssResettable = true;

    BenchMemory() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean sun = bean instanceof com.sun.management.ThreadMXBean s ? s : null;
        if (sun != null && sun.isThreadAllocatedMemorySupported() && !sun.isThreadAllocatedMemoryEnabled()) {
            sun.setThreadAllocatedMemoryEnabled(true);
        }
        this.threads = sun != null && sun.isThreadAllocatedMemorySupported() ? sun : null;
    }

    /** Whether this JVM counts allocated bytes per thread (HotSpot does). */
    boolean allocationCounted() {
        return threads != null;
    }

    /** Heap bytes allocated so far by the current thread, or -1 where the JVM cannot say. */
    long allocatedBytes() {
        return threads == null ? -1 : threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * Heap bytes allocated so far by all live threads, or -1 where the JVM cannot say; a thread that
     * ends between two readings takes its count with it, so compare readings over a stretch in which
     * the worker threads live on (pools keep theirs).
     */
    long allocatedBytesAllThreads() {
        if (threads == null) {
            return -1;
        }
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }

    /** Starts a new peak: resets every heap pool's peak and, where Linux allows, the peak RSS. */
    void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
        if (rssResettable) {
            try {
                Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                rssResettable = false;
            }
        }
    }

    /** Whether {@link #peakRssBytes()} is the peak since the last reset, not since the process started. */
    boolean rssPeakResettable() {
        return rssResettable;
    }

    /** The sum of the heap pools' peak usage since the last reset, in bytes (an upper bound; see the class comment). */
    long peakHeapBytes() {
        long total = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }

    /** The peak resident set size ({@code VmHWM}) in bytes, if {@code /proc/self/status} has it. */
    OptionalLong peakRssBytes() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024L); // always in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: no RSS figure
        }
        return OptionalLong.empty();
    }
}
