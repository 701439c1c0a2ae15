package org.nnjava.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference files written by numpy ({@code scripts/make_npz_fixtures.py}) and the values the script
 * put in them, spelled again here as Java literals: the oracle the io tests compare against.
 */
final class NumpyFixtures {

    /** {@code [[0.1, -2.5, 1/3], [-0.0, 5e-324, inf]]}: a sign bit, a subnormal, a repeating fraction. */
    static final double[] F8_2X3 = {0.1, -2.5, 1.0 / 3.0, -0.0, 4.9e-324, Double.POSITIVE_INFINITY};

    /** {@code [0.1, -1.5, 3.4028235e38]} as float32: 3.4028235e38 rounds to the largest float. */
    static final float[] F4_3 = {0.1f, -1.5f, 3.4028235e38f};

    private NumpyFixtures() {
    }

    /** {@code np.arange(24, dtype='<f4').reshape(2, 3, 4) / 8}: multiples of 1/8, exact in float32. */
    static float[] f4Eighths(int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = i / 8f;
        }
        return values;
    }

    /** {@code np.arange(100, dtype='<f4') / 4}. */
    static float[] f4Quarters() {
        float[] values = new float[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 4f;
        }
        return values;
    }

    /** The 14-dimensional shape {@code (1, ..., 1, 100)} of {@code f4_full_pad.npy}. */
    static int[] fullPadShape() {
        int[] dims = new int[14];
        java.util.Arrays.fill(dims, 1);
        dims[13] = 100;
        return dims;
    }

    /** A fixture file's bytes. */
    static byte[] bytes(String name) {
        try (InputStream in = url(name).openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture file's path (the test resources are plain files under target/test-classes). */
    static Path path(String name) {
        try {
            return Path.of(url(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URL url(String name) {
        URL url = NumpyFixtures.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource org/nnjava/io/" + name
                    + " is missing: run python3 scripts/make_npz_fixtures.py");
        }
        return url;
    }

    /** What a process printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {
    }

    /**
     * Runs {@code command} (e.g. python3 with a script), waiting at most 60 s.
     *
     * @throws IOException if it cannot start, does not finish in time, or the wait is interrupted
     */
    static Result run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }

    /** The last line of a process's output: what a failing python3 says last is its error. */
    static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
