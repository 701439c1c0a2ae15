package org.nnjava.data;

/**
 * How images and labels become tensors, as the arguments of the book's
 * {@code load_mnist(normalize, flatten, one_hot_label)}.
 *
 * @param normalize pixels as {@code value / 255} in {@code 0..1}; otherwise the raw {@code 0..255}
 * @param flatten images as rows of {@code rows * columns} values ({@code [N, 784]} for MNIST); otherwise
 *     as {@code [N, 1, rows, columns]}, one channel
 * @param oneHotLabel labels as {@code [N, classes]} rows with a 1 at the class and 0 elsewhere; otherwise
 *     as the class indices {@code [N]}
 */
public record LoadOptions(boolean normalize, boolean flatten, boolean oneHotLabel) {

    /** The book's defaults: normalised, flattened, labels as class indices. */
    public static final LoadOptions BOOK_DEFAULTS = new LoadOptions(true, true, false);
}
