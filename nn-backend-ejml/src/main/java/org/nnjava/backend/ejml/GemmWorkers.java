package org.nnjava.backend.ejml;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Shares the output rows of a matrix product between the calling thread and a few daemon helper
 * threads, without allocating per call.
 *
 * <p>The products of the book's training step take 0.1 to 0.3 ms, and the 2 cores this was measured
 * on are shared with other processes, so a helper may be descheduled for milliseconds at any moment.
 * A fixed split would then leave the caller waiting for the helper's half. Instead the rows are cut
 * into small chunks that every thread takes from a shared counter: a helper that does not get a core
 * simply takes none, the caller computes them all, and withdraws the offer. A helper spins for a
 * while after each job before it parks, so back-to-back products find it awake.
 *
 * <p>Any number of threads may call {@link #run} at once: a helper that another call holds is not
 * offered the job, so no call ever waits for another call's work.
 */
final class GemmWorkers {

    /** Computes some rows of one product. */
    interface RowTask {

        /** Computes output rows {@code [from, to)}; called from several threads with disjoint ranges. */
        void computeRows(int from, int to);
    }

    /** The most threads one product is shared between (the caller included). */
    static final int MAX_PARTS = 4;

    /**
     * Multiply-adds ({@code m·n·k}) from which a product is shared between threads. Measured on 2 cores
     * (float64 and float32 alike): two threads break even at 64x64x64 (0.26 million) and save a
     * quarter of the time at 100x100x50 (0.5 million) and a third from 2 million.
     */
    static final long PARALLEL_WORK = 500_000L;

    /** How many chunks each thread's share of the rows is cut into, so that idle threads can help. */
    private static final int CHUNKS_PER_PART = 4;

    /**
     * How long an idle helper spins for the next job before it parks, and how long a caller spins for
     * a helper's last chunk before it parks: long enough to bridge the gaps between the products of a
     * training step, short enough not to hold a core that other work needs.
     */
    private static final long SPIN_NANOS = 100_000L;

    /**
     * The system property that caps how many threads one product uses (default: the cores available to
     * the JVM); {@code -Dnn.ejml.threads=1} keeps every product on the calling thread. Read once.
     */
    static final String THREADS_PROPERTY = "nn.ejml.threads";

    private static final int CORES = configuredThreads();

    private static final Helper[] HELPERS = new Helper[MAX_PARTS - 1];

    /** Each calling thread's job record, reused from call to call. */
    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    private GemmWorkers() {
    }

    /**
     * The thread count {@link #THREADS_PROPERTY} asks for, or the available cores when it is unset.
     *
     * @throws IllegalArgumentException if the property is not a positive whole number
     */
    static int configuredThreads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + THREADS_PROPERTY + "=" + value
                + ": use a positive thread count, e.g. -D" + THREADS_PROPERTY + "=1");
    }

    /** How many threads an {@code [m, k] x [k, n]} product should use: 1 below {@link #PARALLEL_WORK}. */
    static int partsFor(int m, int n, int k) {
        return (long) m * n * k >= PARALLEL_WORK ? Math.min(CORES, MAX_PARTS) : 1;
    }

    /**
     * Runs {@code task} over rows {@code [0, rows)} on up to {@code parts} threads (the caller one of
     * them), in chunks whose bounds are multiples of {@code granule}. Returns when every row is done.
     *
     * @throws IllegalStateException if a helper's chunk threw (the cause is what it threw)
     */
    static void run(RowTask task, int rows, int granule, int parts) {
        int granules = (rows + granule - 1) / granule;
        int threads = Math.max(1, Math.min(Math.min(parts, MAX_PARTS), granules));
        if (threads == 1) {
            task.computeRows(0, rows);
            return;
        }
        Job job = JOBS.get();
        int chunkGranules = Math.max(1, granules / (threads * CHUNKS_PER_PART));
        job.start(task, rows, chunkGranules * granule);
        int offered = 0;
        for (int h = 0; h < threads - 1; h++) {
            if (helper(h).offer(job)) {
                offered |= 1 << h;
            }
        }
        try {
            job.work();
        } finally {
            for (int h = 0; h < threads - 1; h++) {
                if ((offered & (1 << h)) != 0) {
                    helper(h).finish();
                }
            }
            job.end();
        }
    }

    /** Helper {@code index}, started on first use. */
    private static Helper helper(int index) {
        synchronized (HELPERS) {
            if (HELPERS[index] == null) {
                HELPERS[index] = new Helper("nnjava-ejml-gemm-" + (index + 1));
            }
            return HELPERS[index];
        }
    }

    /** Spins, then parks, until {@code state} leaves {@code from}; woken by the thread that changes it. */
    private static void await(AtomicInteger state, int from, Object blocker) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (state.get() == from) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(blocker);
            }
        }
    }

    /** One product's rows, handed out in chunks by a shared counter. */
    private static final class Job {

        private final AtomicInteger nextChunk = new AtomicInteger();
        private RowTask task;
        private int rows;
        private int chunkRows;

        void start(RowTask rowTask, int rowCount, int rowsPerChunk) {
            task = rowTask;
            rows = rowCount;
            chunkRows = rowsPerChunk;
            nextChunk.set(0); // volatile: publishes the fields to helpers that read the counter
        }

        /** Computes chunks until none is left. */
        void work() {
            for (int from = nextChunk.getAndIncrement() * chunkRows; from < rows;
                    from = nextChunk.getAndIncrement() * chunkRows) {
                task.computeRows(from, Math.min(rows, from + chunkRows));
            }
        }

        void end() {
            task = null; // hold no caller's object between calls
        }
    }

    /** A daemon thread that helps with one job at a time. */
    private static final class Helper implements Runnable {

        private static final int IDLE = 0;
        private static final int OFFERED = 1;
        private static final int WORKING = 2;
        private static final int DONE = 3;

        private final AtomicInteger state = new AtomicInteger(IDLE);
        private final Thread thread;
        // Written by the offering caller before its volatile write of OFFERED.
        private Job job;
        private Thread caller;
        // Written by the helper before its volatile write of DONE.
        private Throwable failure;

        Helper(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Offers {@code offered} to this helper; false if another call holds it. */
        boolean offer(Job offered) {
            synchronized (this) { // offers from several callers: one wins, the others see it busy
                if (state.get() != IDLE) {
                    return false;
                }
                job = offered;
                caller = Thread.currentThread();
                state.set(OFFERED);
            }
            LockSupport.unpark(thread);
            return true;
        }

        /**
         * Ends the offer once the caller has run out of chunks: withdraws it if the helper has not
         * taken it up (it may not have had a core), else waits for the chunk it is computing.
         */
        void finish() {
            if (state.compareAndSet(OFFERED, IDLE)) {
                return;
            }
            while (state.get() == WORKING) {
                await(state, WORKING, this);
            }
            Throwable thrown = failure;
            failure = null;
            state.set(IDLE);
            if (thrown != null) {
                throw new IllegalStateException("matmul: a worker thread failed: " + thrown, thrown);
            }
        }

        @Override
        public void run() {
            while (true) {
                while (state.get() != OFFERED) { // IDLE, or DONE until the caller has seen it
                    await(state, state.get(), this);
                }
                if (!state.compareAndSet(OFFERED, WORKING)) {
                    continue; // withdrawn before this thread got to it
                }
                try {
                    job.work();
                } catch (Throwable t) { // handed to the caller, which rethrows it
                    failure = t;
                }
                Thread waiting = caller;
                state.set(DONE);
                LockSupport.unpark(waiting);
            }
        }
    }
}
