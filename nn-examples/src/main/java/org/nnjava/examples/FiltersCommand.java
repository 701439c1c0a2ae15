package org.nnjava.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnjava.internal.Listing;
import org.nnjava.io.NpyArray;
import org.nnjava.io.Npz;
import org.nnjava.io.Pickles;
import org.nnjava.net.SimpleConvNet;
import org.nnjava.tensor.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nn filters}: the book's {@code ch07/visualize_filter.py}. The first convolution layer's weights
 * {@code W1 [FN, C, FH, FW]} as a grid of {@value #PER_ROW} filters a row, each drawn on its own scale with
 * the {@code gray_r} colour map (its smallest weight white, its largest black) and enlarged by nearest
 * neighbour; for {@code C > 1} channel 0 of each filter, as the book's {@code filters[i, 0]}. The filters
 * come from a checkpoint ({@code .npz}), a pickle of the book's ({@code .pkl}, such as
 * {@code ch07/params.pkl}), or without either from a new {@link SimpleConvNet}: the book draws both, the
 * random filters before learning and the learned ones after.
 */
@Command(name = "filters", description = "The first convolution layer's filters (W1) as a PNG grid, as the book's "
        + "ch07/visualize_filter.py draws them: " + FiltersCommand.PER_ROW + " a row, each on its own scale "
        + "(its smallest weight white, its largest black).")
final class FiltersCommand implements Callable<Integer> {

    /** Filters a row, as the book's {@code filter_show(filters, nx=8)}. */
    static final int PER_ROW = 8;
    /** The most filters drawn. */
    static final int MAX_FILTERS = 1024;
    /** The largest filter height or width drawn. */
    static final int MAX_FILTER_SIDE = 64;
    /** The picture's name inside {@code --out}. */
    static final String FILE = "filters.png";

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOptions backendOptions;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Draw the W1 [FN, C, FH, FW] of this file: a "
            + "checkpoint (.npz) of ./nn train --net simple-convnet, or a pickle (.pkl) such as the book's "
            + "ch07/params.pkl. When C > 1, channel 0 of each filter is drawn, as the book does. Without it: the "
            + "initial (random) filters of a new SimpleConvNet from --seed.")
    Path checkpoint;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights, without --checkpoint "
            + "(default: ${DEFAULT-VALUE}, as ./nn train).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "nn-out",
            description = "Where " + FILE + " goes (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        NpyArray w1;
        String source;
        if (checkpoint != null) {
            for (String option : new String[] {"--seed", "--backend", "--dtype"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new ParameterException(spec.commandLine(), option + " does not apply with --checkpoint, "
                            + "whose filters are drawn as saved: --seed, --backend and --dtype choose the initial filters"
                            + " drawn without --checkpoint");
                }
            }
            source = checkpoint.toString();
            w1 = firstFilters(load(checkpoint), source);
        } else {
            SimpleConvNet network = new SimpleConvNet(backendOptions.backend(), seed);
            source = "the initial weights of SimpleConvNet (seed " + seed + ")";
            w1 = NpyArray.of(network.params().get("W1"));
        }
        Shape shape = w1.shape();
        int filters = shape.dim(0);
        int channels = shape.dim(1);
        int height = shape.dim(2);
        int width = shape.dim(3);
        BufferedImage image = ImageGrid.draw(tiles(w1, source), height, width, PER_ROW);
        Path file = ImageGrid.writePng(image, out, FILE);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "W1 %s of %s: %d filters %dx%d%s%n", shape, source, filters, height, width,
                channels > 1 ? ", channel 0 of " + channels + " drawn (as the book's visualize_filter.py)" : "");
        w.println("filters: " + file);
        w.flush();
        return 0;
    }

    /** The arrays of a pickle ({@code .pkl}, {@code .pickle}) or else of an {@code .npz} file. */
    private static Map<String, NpyArray> load(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pkl") || name.endsWith(".pickle") ? Pickles.load(file) : Npz.load(file);
    }

    /**
     * The file's {@code W1}, checked to be {@code [FN, C, FH, FW]} of positive sizes within the limits.
     *
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    static NpyArray firstFilters(Map<String, NpyArray> arrays, String source) {
        NpyArray w1 = arrays.get("W1");
        if (w1 == null) {
            throw new IllegalArgumentException(source + " holds no W1 (its arrays: "
                    + (arrays.isEmpty() ? "none" : Listing.firstFew(List.copyOf(arrays.keySet()), ", "))
                    + "); give a checkpoint of a convolutional network (./nn train --net simple-convnet) or the book's"
                    + " ch07/params.pkl");
        }
        Shape shape = w1.shape();
        if (shape.rank() != 4) {
            throw new IllegalArgumentException(source + ": W1 is " + shape + ", not the [FN, C, FH, FW] of a convolution:"
                    + " filters exist only for convolutional networks; train one with ./nn train --net simple-convnet");
        }
        for (int d = 0; d < 4; d++) {
            if (shape.dim(d) < 1) {
                throw new IllegalArgumentException(source + ": W1 " + shape + " holds no filters to draw");
            }
        }
        if (shape.dim(0) > MAX_FILTERS) {
            throw new IllegalArgumentException(source + ": W1 " + shape + " has " + shape.dim(0) + " filters; at most "
                    + MAX_FILTERS + " are drawn");
        }
        if (shape.dim(2) > MAX_FILTER_SIDE || shape.dim(3) > MAX_FILTER_SIDE) {
            throw new IllegalArgumentException(source + ": W1 " + shape + " has filters of " + shape.dim(2) + "x"
                    + shape.dim(3) + "; at most " + MAX_FILTER_SIDE + "x" + MAX_FILTER_SIDE + " are drawn");
        }
        return w1;
    }

    /** Channel 0 of each filter, each on its own scale; a filter that is not finite is named. */
    private static List<ImageGrid.Tile> tiles(NpyArray w1, String source) {
        Shape shape = w1.shape();
        int perChannel = shape.dim(2) * shape.dim(3);
        int perFilter = shape.dim(1) * perChannel;
        double[] all = w1.toDoubleArray();
        List<ImageGrid.Tile> tiles = new ArrayList<>(shape.dim(0));
        for (int f = 0; f < shape.dim(0); f++) {
            double[] channel0 = Arrays.copyOfRange(all, f * perFilter, f * perFilter + perChannel);
            for (int i = 0; i < channel0.length; i++) {
                if (!Double.isFinite(channel0[i])) {
                    throw new IllegalArgumentException(source + ": W1 holds " + channel0[i] + " in filter " + f
                            + ", which cannot be drawn; the network comes from a diverged run");
                }
            }
            tiles.add(ImageGrid.Tile.ownScale(channel0, null));
        }
        return tiles;
    }
}
