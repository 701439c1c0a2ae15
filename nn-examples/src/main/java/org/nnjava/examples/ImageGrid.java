package org.nnjava.examples;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nnjava.internal.AtomicFile;

/**
 * Small grey-scale images side by side in one PNG, as the book's matplotlib figures draw filters
 * ({@code ch07/visualize_filter.py}) and misclassified digits ({@code ch08/misclassified_mnist.py}):
 * {@code imshow(..., cmap=plt.cm.gray_r, interpolation='nearest')} in a grid of subplots.
 *
 * <p>Each value is drawn with the {@code gray_r} colour map over its tile's range {@code [lo, hi]}:
 * grey level {@code 255 - round(255 · d)} with {@code d = (v - lo) / (hi - lo)} clamped to {@code [0, 1]},
 * so {@code lo} is white and {@code hi} black; a tile with {@code hi <= lo} is white, as matplotlib draws
 * a constant image. Each value becomes a square of {@link #scale(int, int)} pixels (nearest-neighbour
 * enlargement).
 *
 * <p>Layout: tiles fill rows of {@code columns} (fewer when there are fewer tiles), left to right. Around the
 * grid is a white margin of {@link #GAP} pixels, and between cells a gap of {@link #GAP}. A cell is the tile
 * inside a grey frame of {@link #FRAME} pixel, and below it, when any tile has a label, a strip of
 * {@link #LABEL_HEIGHT} pixels with the label in black. So the tile at column {@code c}, row {@code r}
 * has its top-left pixel at {@code x = GAP + FRAME + c · (w·s + 2·FRAME + GAP)},
 * {@code y = GAP + FRAME + r · (h·s + 2·FRAME + L + GAP)} where {@code L} is 0 or {@link #LABEL_HEIGHT}.
 *
 * <p>Bounded: the canvas's width and height are computed before anything is allocated and refused
 * beyond {@link #MAX_SIDE} pixels a side or {@link #MAX_PIXELS} pixels in all. Drawn headless.
 */
final class ImageGrid {

    /** The white margin around the grid and between cells, in pixels. */
    static final int GAP = 4;
    /** The grey frame around each tile, in pixels. */
    static final int FRAME = 1;
    /** The height of the label strip under each tile when the grid has labels, in pixels. */
    static final int LABEL_HEIGHT = 14;
    /** The most pixels a value is enlarged to, a side: 10, so a 5x5 filter is 50x50 pixels. */
    static final int MAX_SCALE = 10;
    /** The width or height a tile is enlarged towards (never beyond {@link #MAX_SCALE} per value). */
    static final int TARGET_TILE_SIDE = 112;
    /** The widest or tallest canvas drawn, in pixels. */
    static final int MAX_SIDE = 16_384;
    /** The most pixels a canvas may have (64 MiB as 32-bit RGB). */
    static final long MAX_PIXELS = 1L << 24;
    /** The frame's grey. */
    static final int FRAME_RGB = 0xA0A0A0;

    private ImageGrid() {
    }

    /**
     * One image of a grid: its values row-major and the range drawn from white to black.
     *
     * @param values the {@code h · w} values, row-major; finite
     * @param lo the value drawn white (and everything below it)
     * @param hi the value drawn black (and everything above it)
     * @param label the text under the tile, or null for none
     */
    record Tile(double[] values, double lo, double hi, String label) {

        /** Checks that every value and the range are finite. */
        Tile {
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new IllegalArgumentException("image grid: value " + i + " is " + values[i]
                            + "; only finite values can be drawn");
                }
            }
            if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
                throw new IllegalArgumentException("image grid: the range [" + lo + ", " + hi + "] is not finite");
            }
        }

        /**
         * A tile on its own scale, as {@code imshow} scales by default: its smallest value white, its largest black.
         *
         * @param values finite values, row-major; at least one
         * @param label the text under the tile, or null
         * @return the tile
         */
        static Tile ownScale(double[] values, String label) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (values.length == 0) {
                lo = 0; // refused by draw, which names the size expected
                hi = 0;
            }
            return new Tile(values, lo, hi, label);
        }
    }

    /**
     * The pixels per value for images of {@code height x width}: {@code TARGET_TILE_SIDE / max(height, width)}
     * kept within 1 .. {@link #MAX_SCALE}: 10 for 5x5 filters, 4 for 28x28 digits, 1 from 112 on.
     *
     * @param height the images' height in values
     * @param width the images' width in values
     * @return the enlargement, at least 1
     */
    static int scale(int height, int width) {
        return Math.max(1, Math.min(MAX_SCALE, TARGET_TILE_SIDE / Math.max(1, Math.max(height, width))));
    }

    /**
     * Draws the tiles in a grid.
     *
     * @param tiles the images, each of {@code height · width} values; at least one
     * @param height every image's height in values
     * @param width every image's width in values
     * @param columns the most tiles per row
     * @return the canvas, white around the tiles
     * @throws IllegalArgumentException if there is no tile, a size is below 1, a tile has the wrong
     *     number of values, or the canvas would exceed {@link #MAX_SIDE} or {@link #MAX_PIXELS}
     */
    static BufferedImage draw(List<Tile> tiles, int height, int width, int columns) {
        if (tiles.isEmpty() || height < 1 || width < 1 || columns < 1) {
            throw new IllegalArgumentException("image grid: " + tiles.size() + " images of " + height + "x" + width
                    + " in " + columns + " columns: give at least one image and sizes of at least 1");
        }
        int s = scale(height, width);
        boolean labelled = tiles.stream().anyMatch(t -> t.label() != null);
        int cols = Math.min(columns, tiles.size());
        int rows = (tiles.size() + cols - 1) / cols;
        long cellWidth = (long) width * s + 2 * FRAME;
        long cellHeight = (long) height * s + 2 * FRAME + (labelled ? LABEL_HEIGHT : 0);
        long canvasWidth = GAP + cols * (cellWidth + GAP);
        long canvasHeight = GAP + rows * (cellHeight + GAP);
        if (canvasWidth > MAX_SIDE || canvasHeight > MAX_SIDE || canvasWidth * canvasHeight > MAX_PIXELS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "image grid: %d images of %dx%d in %d columns"
                    + " would need a %dx%d-pixel canvas, beyond the limit of %d pixels a side and %d in all;"
                    + " draw fewer or smaller images", tiles.size(), height, width, cols, canvasWidth, canvasHeight,
                    MAX_SIDE, MAX_PIXELS));
        }
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage((int) canvasWidth, (int) canvasHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            for (int i = 0; i < tiles.size(); i++) {
                Tile tile = tiles.get(i);
                if (tile.values().length != height * width) {
                    throw new IllegalArgumentException("image grid: image " + i + " has " + tile.values().length
                            + " values, not " + height + "x" + width + " = " + height * width);
                }
                int x = (int) (GAP + (i % cols) * (cellWidth + GAP));
                int y = (int) (GAP + (i / cols) * (cellHeight + GAP));
                g.setColor(new Color(FRAME_RGB));
                g.fillRect(x, y, (int) cellWidth, height * s + 2 * FRAME);
                paint(image, tile, x + FRAME, y + FRAME, height, width, s);
                if (tile.label() != null) {
                    label(g, tile.label(), x, y + height * s + 2 * FRAME, (int) cellWidth);
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The tile's values as {@code s x s} squares of grey from its top-left pixel {@code (x0, y0)}. */
    private static void paint(BufferedImage image, Tile tile, int x0, int y0, int height, int width, int s) {
        double range = tile.hi() - tile.lo();
        double[] v = tile.values();
        int[] row = new int[width * s];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                double d = range > 0 ? Math.min(1, Math.max(0, (v[r * width + c] - tile.lo()) / range)) : 0;
                int grey = 255 - (int) Math.round(255 * d);
                Arrays.fill(row, c * s, (c + 1) * s, grey << 16 | grey << 8 | grey);
            }
            for (int k = 0; k < s; k++) {
                image.setRGB(x0, y0 + r * s + k, width * s, 1, row, 0, width * s);
            }
        }
    }

    /** The label centred in the strip below a cell, clipped to the cell's width. */
    private static void label(Graphics2D g, String text, int x, int y, int cellWidth) {
        Graphics2D clipped = (Graphics2D) g.create(x, y, cellWidth, LABEL_HEIGHT);
        try {
            FontMetrics metrics = clipped.getFontMetrics();
            clipped.setColor(Color.BLACK);
            int left = Math.max(0, (cellWidth - metrics.stringWidth(text)) / 2);
            clipped.drawString(text, left, (LABEL_HEIGHT + metrics.getAscent() - metrics.getDescent()) / 2);
        } finally {
            clipped.dispose();
        }
    }

    /**
     * Writes {@code image} as {@code dir/name}, atomically (a temporary file beside it, then a rename), creating
     * {@code dir} if needed. On failure no partial file is left and an existing file is unchanged.
     *
     * @param image the picture
     * @param dir the output directory ({@code --out})
     * @param name the file's name, e.g. {@code filters.png}
     * @return the file written
     * @throws IOException naming {@code --out} when the directory cannot be created or is a file, or the
     *     file when it cannot be written
     */
    static Path writePng(BufferedImage image, Path dir, String name) throws IOException {
        OutputDirectory.create(dir);
        Path file = dir.resolve(name);
        AtomicFile.removeStaleTemporaries(file);
        TrainingPlots.writePng(file, image);
        return file;
    }
}
