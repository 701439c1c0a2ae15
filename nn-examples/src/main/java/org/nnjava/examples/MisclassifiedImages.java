package org.nnjava.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.Tensor;

/**
 * {@code predict --show-wrong N}'s picture, as the book's {@code ch08/misclassified_mnist.py} draws it: the
 * misclassified test images in {@code gray_r} (ink black on white), each with its true and predicted label.
 * Images {@code [M, H·W]} (a square {@code H·W}, such as MNIST's 784), {@code [M, H, W]} or {@code [M, C, H, W]}
 * (channel 0 drawn); values on one fixed scale for all images: 0 white, and black at 1 when every drawn
 * value is at most 1 (normalised pixels), else at 255 when every value is at most 255 (raw bytes), else at
 * the largest value.
 */
final class MisclassifiedImages {

    /** The most images drawn. */
    static final int MAX_IMAGES = 400;
    /** The picture's name inside {@code --out}. */
    static final String FILE = "misclassified.png";
    /** Images a row up to 20 images, as the book's 4x5 figure; more go {@link #WIDE_ROW} a row. */
    static final int BOOK_ROW = 5;
    /** Images a row beyond 20 images. */
    static final int WIDE_ROW = 10;

    private MisclassifiedImages() {
    }

    /**
     * Draws the images at {@code indices} of {@code x}, each labelled {@code true T, pred P}, and writes
     * {@code dir/misclassified.png} atomically.
     *
     * @param x the test images, {@code [M, D]}, {@code [M, H, W]} or {@code [M, C, H, W]}
     * @param indices the rows to draw, at least one and at most {@link #MAX_IMAGES}
     * @param labels the true label of each drawn image
     * @param predicted the predicted label of each drawn image
     * @param dir the output directory ({@code --out})
     * @return the file written
     * @throws IllegalArgumentException if {@code x}'s shape says no image size, or a value is not finite
     * @throws IOException if the directory or the file cannot be written; no partial file is left
     */
    static Path write(Tensor x, int[] indices, int[] labels, int[] predicted, Path dir) throws IOException {
        if (indices.length < 1 || indices.length > MAX_IMAGES) {
            throw new IllegalArgumentException("misclassified images: " + indices.length + " to draw; give 1 to " + MAX_IMAGES);
        }
        int[] hw = imageSize(x.shape());
        int perImage = x.shape().size() / Math.max(1, x.shape().dim(0));
        double[] values = x.gatherRows(indices).toDoubleArray();
        int drawn = hw[0] * hw[1];
        double[] channel0 = new double[indices.length * drawn];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(values, i * perImage, channel0, i * drawn, drawn);
        }
        double full = fullScale(channel0);
        List<ImageGrid.Tile> tiles = new ArrayList<>(indices.length);
        for (int i = 0; i < indices.length; i++) {
            tiles.add(new ImageGrid.Tile(Arrays.copyOfRange(channel0, i * drawn, (i + 1) * drawn), 0, full,
                    "true " + labels[i] + ", pred " + predicted[i]));
        }
        BufferedImage image = ImageGrid.draw(tiles, hw[0], hw[1], indices.length <= 20 ? BOOK_ROW : WIDE_ROW);
        return ImageGrid.writePng(image, dir, FILE);
    }

    /**
     * One image's height and width from the test set's shape.
     *
     * @throws IllegalArgumentException if the shape is of another rank, or {@code [M, D]} with {@code D} not a square
     */
    static int[] imageSize(Shape shape) {
        switch (shape.rank()) {
            case 2 -> {
                int d = shape.dim(1);
                int side = (int) Math.round(Math.sqrt(d));
                if (d < 1 || side * side != d) {
                    throw new IllegalArgumentException("--show-wrong: the test images are " + shape + ", and " + d
                            + " values are not a square image, so they cannot be drawn; use images [M, H, W] or"
                            + " [M, C, H, W], or flattened square ones such as MNIST's [M, 784]");
                }
                return new int[] {side, side};
            }
            case 3 -> {
                return new int[] {shape.dim(1), shape.dim(2)};
            }
            case 4 -> {
                return new int[] {shape.dim(2), shape.dim(3)};
            }
            default -> throw new IllegalArgumentException("--show-wrong: the test images are " + shape
                    + ", not [M, D], [M, H, W] or [M, C, H, W]; they cannot be drawn");
        }
    }

    /** The value drawn black: 1, 255 or the largest, as the class description says. */
    static double fullScale(double[] values) {
        double max = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("--show-wrong: a test image holds " + v + ", which cannot be drawn");
            }
            max = Math.max(max, v);
        }
        return max <= 1 ? 1 : max <= 255 ? 255 : max;
    }
}
