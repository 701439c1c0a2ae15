package org.nnjava.examples;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One {@code nn} command run in-process as the launcher runs it ({@link NnCli#run}), with its standard output
 * and standard error captured as text: the harness of the command tests, which read its three fields.
 */
final class Run {

    /** The code {@code nn} would exit with: 0 done, 1 a refused input or failure, 2 a bad command line. */
    final int exitCode;
    /** Everything the command printed to standard output. */
    final String out;
    /** Everything the command printed to standard error. */
    final String err;

    private Run(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs {@code nn args}: the picocli command line that {@link NnCli} builds, writing into two strings.
     *
     * @param args the command and its options, as typed after {@code nn}
     * @return the exit code and what was printed on each stream
     */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = NnCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
