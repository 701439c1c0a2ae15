package org.nnjava.benchmarks.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.nnjava.tensor.BackendSelectionException;
import picocli.CommandLine;

/** The entry point of {@code ./nn bench} (the launcher runs it from nn-benchmarks), and of its workers. */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the benchmark: 0 when it measured and every loss check passed, 1 when a check failed or the
     * benchmark could not run for a reason the user can fix (one line saying how), 2 on a usage error.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new BenchCommand(List.of(args)));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("nn bench: " + e.getMessage());
            err.println("Try 'nn bench --help'.");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (!(e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException || e instanceof BackendSelectionException)) {
                throw e;
            }
            err.println("nn bench: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }
}
