package org.nnjava.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.nnjava.train.Trainer;

/**
 * While training runs, Ctrl-C (SIGINT) or SIGTERM asks the trainer to stop after the current iteration
 * and waits (up to {@value #WAIT_SECONDS} s) until the command has saved the checkpoint and outputs,
 * instead of losing the run. Closing it removes the hook.
 */
final class StopOnSignal implements AutoCloseable {

    static final int WAIT_SECONDS = 30;

    private final Thread hook;
    private final CountDownLatch saved = new CountDownLatch(1);
    private volatile boolean signalled;

    private StopOnSignal(Trainer trainer) {
        this.hook = trainer == null ? null : new Thread(() -> {
            signalled = true;
            trainer.requestStop();
            try {
                saved.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nn-train-stop");
    }

    /** Nothing installed: for a run that cannot be stopped between iterations (on Spark). */
    static StopOnSignal none() {
        return new StopOnSignal(null);
    }

    static StopOnSignal install(Trainer trainer) {
        StopOnSignal stop = new StopOnSignal(trainer);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** Training has returned: a signal from now on only waits for the outputs to be written. */
    void finishing() {
        if (signalled) {
            System.err.println("nn train: stopped by a signal; saving the checkpoint and outputs");
        }
    }

    @Override
    public void close() {
        saved.countDown();
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting (the hook ran): nothing to remove.
        }
    }
}
