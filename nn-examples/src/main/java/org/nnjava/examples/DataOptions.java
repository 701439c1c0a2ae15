package org.nnjava.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nnjava.data.DataSetLoader;
import org.nnjava.data.DownloadListener;
import org.nnjava.data.ImageDataSet;
import org.nnjava.data.LoadOptions;
import org.nnjava.data.TensorDataSet;
import org.nnjava.tensor.Backend;
import picocli.CommandLine.Option;

/** The options that pick a data set, shared by the commands that train or evaluate. */
final class DataOptions {

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = DataSetLoader.MNIST_SAMPLE,
            description = "mnist, fashion-mnist (downloaded once, verified, cached) or mnist-sample "
                    + "(8,000 + 2,000 real MNIST digits inside nnjava; default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Read the data set's four files (plain or .gz) from DIR instead of the cache.")
    Path dataDir;

    /**
     * Loads the data set as tensors of {@code backend}: pixels normalised to 0..1 and flattened to 784,
     * labels as class indices or one-hot. Downloads show progress on {@code progress} when it is a terminal.
     */
    TensorDataSet load(Backend backend, boolean oneHot, PrintWriter progress) throws IOException {
        if (!DataSetLoader.names().contains(dataset)) {
            throw new IllegalArgumentException("unknown data set '" + dataset + "': use one of " + DataSetLoader.names());
        }
        ImageDataSet images;
        if (dataDir != null) {
            if (!Files.isDirectory(dataDir)) {
                throw new IllegalArgumentException("--data " + dataDir + ": no such directory; give the directory that holds "
                        + "train-images-idx3-ubyte(.gz) and the other three files");
            }
            images = DataSetLoader.create().loadFrom(dataset, dataDir);
        } else {
            DownloadListener listener = progress != null && System.console() != null ? new DownloadBar()
                    : progress != null ? new DownloadLog(progress) : DownloadListener.NONE;
            images = DataSetLoader.builder().listener(listener).build().load(dataset);
        }
        return images.toTensors(backend, new LoadOptions(true, true, oneHot));
    }

    /** Download progress as a terminal progress bar. */
    private static final class DownloadBar implements DownloadListener {
        private ProgressBar bar;

        @Override
        public void started(URI source, long totalBytes) {
            bar = new ProgressBarBuilder().setTaskName(fileName(source)).setInitialMax(Math.max(totalBytes, 0))
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" KiB", 1024).showSpeed().build();
        }

        @Override
        public void progress(URI source, long bytesRead, long totalBytes) {
            if (bar != null) {
                bar.stepTo(bytesRead);
            }
        }

        private void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }

        @Override
        public void finished(URI source, Path file) {
            close();
        }

        @Override
        public void cachedFileRejected(Path file, String reason) {
            close();
            System.err.println("nn: " + file + ": " + reason);
        }

        @Override
        public void failed(URI source, String reason) {
            // failed() can come without started() (a refused connection, an HTTP error status).
            close();
            System.err.println("nn: " + source + " failed: " + reason + "; trying the next mirror");
        }
    }

    /** Download events as log lines, when output is not a terminal. */
    private static final class DownloadLog implements DownloadListener {
        private final PrintWriter out;

        DownloadLog(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void finished(URI source, Path file) {
            out.println("downloaded " + source + " -> " + file);
            out.flush();
        }

        @Override
        public void failed(URI source, String reason) {
            out.println(String.format(Locale.ROOT, "download of %s failed: %s; trying the next mirror", source, reason));
            out.flush();
        }

        @Override
        public void cachedFileRejected(Path file, String reason) {
            out.println(file + ": " + reason);
            out.flush();
        }
    }

    private static String fileName(URI source) {
        String path = source.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
