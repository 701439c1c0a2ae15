package org.nnjava.data;

import java.util.Arrays;
import org.nnjava.tensor.Backend;

/**
 * A data set of labelled images in MNIST's layout, read and checked but not yet in tensors: a training
 * part and a test part of images of one size. Immutable; independent of any backend, so one loaded data
 * set can be turned into tensors of several backends or dtypes.
 */
public final class ImageDataSet {

    /** The number of classes of the MNIST family: digits 0..9, or Fashion-MNIST's ten kinds of article. */
    public static final int MNIST_CLASSES = 10;

    private final String name;
    private final LabeledImages train;
    private final LabeledImages test;
    private final int classes;

    private ImageDataSet(String name, LabeledImages train, LabeledImages test, int classes) {
        this.name = name;
        this.train = train;
        this.test = test;
        this.classes = classes;
    }

    /**
     * A data set of the MNIST family (10 classes) from its four files' contents.
     *
     * @param name the data set's name, e.g. {@code mnist}
     * @param trainImages the training images, unsigned bytes {@code [count, rows, columns]}
     * @param trainLabels the training labels, unsigned bytes {@code [count]}
     * @param testImages the test images, unsigned bytes {@code [count, rows, columns]}
     * @param testLabels the test labels, unsigned bytes {@code [count]}
     * @return the data set, which keeps the arrays
     * @throws DataSetMismatchException if a part's images and labels do not match (see
     *     {@link LabeledImages#of}), or training and test images differ in size
     */
    public static ImageDataSet of(String name, IdxArray trainImages, IdxArray trainLabels, IdxArray testImages,
            IdxArray testLabels) throws DataSetMismatchException {
        LabeledImages train = LabeledImages.of(trainImages, trainLabels, MNIST_CLASSES);
        LabeledImages test = LabeledImages.of(testImages, testLabels, MNIST_CLASSES);
        int[] trainSize = Arrays.copyOfRange(trainImages.dims(), 1, 3);
        int[] testSize = Arrays.copyOfRange(testImages.dims(), 1, 3);
        if (!Arrays.equals(trainSize, testSize)) {
            throw new DataSetMismatchException(name + ": training images (" + trainImages.source() + ") are "
                    + Arrays.toString(trainSize) + " pixels but test images (" + testImages.source() + ") are "
                    + Arrays.toString(testSize) + " pixels; both parts must come from the same data set");
        }
        return new ImageDataSet(name, train, test, MNIST_CLASSES);
    }

    /**
     * The data set's name, e.g. {@code mnist}.
     *
     * @return the name given at creation
     */
    public String name() {
        return name;
    }

    /**
     * The training part.
     *
     * @return the training images and labels
     */
    public LabeledImages train() {
        return train;
    }

    /**
     * The test part.
     *
     * @return the test images and labels
     */
    public LabeledImages test() {
        return test;
    }

    /**
     * The number of classes; labels are {@code 0..classes-1}.
     *
     * @return 10
     */
    public int classes() {
        return classes;
    }

    /**
     * Both parts as tensors of {@code backend}, shaped and scaled as {@code options} says: the book's
     * {@code load_mnist(normalize, flatten, one_hot_label)}.
     *
     * @param backend the backend (and dtype) of the tensors
     * @param options normalisation, flattening and one-hot labels
     * @return the four tensors, newly created
     */
    public TensorDataSet toTensors(Backend backend, LoadOptions options) {
        return new TensorDataSet(name, train.imagesTensor(backend, options), train.labelsTensor(backend, options),
                test.imagesTensor(backend, options), test.labelsTensor(backend, options), classes);
    }

    @Override
    public String toString() {
        return name + ": " + train.count() + " training and " + test.count() + " test images";
    }
}
