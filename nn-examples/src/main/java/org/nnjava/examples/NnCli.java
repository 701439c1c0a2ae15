package org.nnjava.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.nnjava.tensor.BackendSelectionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code nn} command-line application. Which backends it can use is decided by what is on the
 * classpath; the {@code ./nn} launcher at the repository root builds it and assembles the classpath.
 */
@Command(name = "nn", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "nnjava 0.1.0-SNAPSHOT",
        description = "Neural networks from layers that know their forward and backward pass "
                + "(Deep Learning from Scratch, chapter 5), on the tensor backend found on the classpath.",
        footer = {"", "The ./nn launcher also runs the benchmarks of nn-benchmarks: ./nn bench (the training step against "
            + "NumPy, DL4J and PyTorch; ./nn bench --help) and ./nn jmh (the JMH micro-benchmarks; ./nn jmh -h)."},
        subcommands = {BackendsCommand.class, AppleCommand.class, AppleOrangeCommand.class, LayersCommand.class,
            TrainCommand.class, GradcheckCommand.class, PredictCommand.class, FiltersCommand.class, ExperimentCommand.class, CommandLine.HelpCommand.class})
public final class NnCli {

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "On an error, print the stack trace too.")
    boolean verbose;

    /** Runs the application and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the application with the given output streams: 0 on success, 1 when a command fails for a
     * reason the user can fix (one line saying how, no stack trace unless --verbose), 2 on a usage error.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        NnCli app = new NnCli();
        CommandLine cli = new CommandLine(app);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("nn " + failed.getCommandName() + ": " + e.getMessage());
            failed.getErr().println("Try 'nn " + (failed == cli ? "" : failed.getCommandName() + " ") + "--help'.");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (!isUserError(e)) {
                throw e;
            }
            commandLine.getErr().println("nn " + commandLine.getCommandName() + ": " + describe(e));
            if (app.verbose) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    /** The message of a user error; file-system exceptions, whose message is only a path, say what happened. */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory: " + ((NoSuchFileException) e).getFile();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + ((AccessDeniedException) e).getFile();
        }
        if (e instanceof FileAlreadyExistsException) {
            return "exists and is not a directory: " + ((FileAlreadyExistsException) e).getFile();
        }
        return e.getMessage();
    }

    /** Failures caused by what the user asked for or gave (data, checkpoints), reported as one message. */
    static boolean isUserError(Exception e) {
        return e instanceof BackendSelectionException || e instanceof IllegalArgumentException
                || e instanceof IndexOutOfBoundsException || e instanceof IOException
                || e instanceof UncheckedIOException;
    }
}
