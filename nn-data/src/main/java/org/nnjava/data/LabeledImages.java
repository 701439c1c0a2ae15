package org.nnjava.data;

import java.util.Arrays;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

/**
 * One part of a data set (training or test): images and their labels, read from IDX files and checked
 * against each other. Immutable.
 *
 * <p>Images are unsigned bytes {@code [count, rows, columns]}; labels are unsigned bytes {@code [count]}
 * in {@code 0..classes-1}.
 */
public final class LabeledImages {

    private final IdxArray images;
    private final IdxArray labels;
    private final int[] labelValues;
    private final int classes;

    private LabeledImages(IdxArray images, IdxArray labels, int[] labelValues, int classes) {
        this.images = images;
        this.labels = labels;
        this.labelValues = labelValues;
        this.classes = classes;
    }

    /**
     * Pairs images with labels.
     *
     * @param images unsigned bytes {@code [count, rows, columns]}
     * @param labels unsigned bytes {@code [count]}
     * @param classes the number of classes
     * @return the pair, which keeps both arrays
     * @throws DataSetMismatchException if the images are not unsigned bytes of rank 3, the labels not
     *     unsigned bytes of rank 1, their counts differ, or a label is outside {@code 0..classes-1}
     */
    public static LabeledImages of(IdxArray images, IdxArray labels, int classes) throws DataSetMismatchException {
        if (images.type() != IdxType.UNSIGNED_BYTE || images.rank() != 3) {
            throw new DataSetMismatchException(images.source() + ": expected images as " + IdxType.UNSIGNED_BYTE
                    + " [count, rows, columns], found " + images.type() + " " + Arrays.toString(images.dims()));
        }
        if (labels.type() != IdxType.UNSIGNED_BYTE || labels.rank() != 1) {
            throw new DataSetMismatchException(labels.source() + ": expected labels as " + IdxType.UNSIGNED_BYTE
                    + " [count], found " + labels.type() + " " + Arrays.toString(labels.dims()));
        }
        if (images.count() != labels.count()) {
            throw new DataSetMismatchException(labels.source() + " holds " + labels.count() + " labels but "
                    + images.source() + " holds " + images.count() + " images; the two files must come from the"
                    + " same data set and part");
        }
        int[] values = labels.toIntArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= classes) {
                throw new DataSetMismatchException(labels.source() + ": label " + i + " is " + values[i]
                        + ", outside the classes 0.." + (classes - 1));
            }
        }
        return new LabeledImages(images, labels, values, classes);
    }

    /**
     * The images, unsigned bytes {@code [count, rows, columns]}.
     *
     * @return the array given at creation
     */
    public IdxArray images() {
        return images;
    }

    /**
     * The labels, unsigned bytes {@code [count]}.
     *
     * @return the array given at creation
     */
    public IdxArray labels() {
        return labels;
    }

    /**
     * The number of images.
     *
     * @return the images' first dimension
     */
    public int count() {
        return images.count();
    }

    /**
     * The label of image {@code index}.
     *
     * @param index {@code 0 .. count() - 1}
     * @return the class, {@code 0 .. classes - 1}
     */
    public int label(int index) {
        return labelValues[index];
    }

    /**
     * The images as a tensor of {@code backend}: {@code [count, rows * columns]} if {@code flatten}, else
     * {@code [count, 1, rows, columns]}; values {@code v / 255} if {@code normalize} (computed in the
     * backend's dtype, as NumPy's {@code x.astype(float32) / 255.0}), else {@code v}.
     *
     * @param backend the backend (and dtype) of the tensor
     * @param options whether to normalise and flatten
     * @return a new tensor
     */
    public Tensor imagesTensor(Backend backend, LoadOptions options) {
        int[] dims = images.dims();
        int[] shape = options.flatten() ? new int[] {dims[0], dims[1] * dims[2]} : new int[] {dims[0], 1, dims[1], dims[2]};
        // Converted straight to the backend's dtype: float32 never holds a double[] copy of 47 million pixels.
        if (backend.dtype() == DType.FLOAT32) {
            float[] values = images.toFloatArray();
            if (options.normalize()) {
                for (int i = 0; i < values.length; i++) {
                    values[i] /= 255f;
                }
            }
            return backend.fromArray(values, shape);
        }
        double[] values = images.toDoubleArray();
        if (options.normalize()) {
            for (int i = 0; i < values.length; i++) {
                values[i] /= 255.0;
            }
        }
        return backend.fromArray(values, shape);
    }

    /**
     * The labels as a tensor of {@code backend}: one-hot {@code [count, classes]} if
     * {@code options.oneHotLabel()}, else the class indices {@code [count]}.
     *
     * @param backend the backend (and dtype) of the tensor
     * @param options whether to one-hot encode
     * @return a new tensor
     */
    public Tensor labelsTensor(Backend backend, LoadOptions options) {
        int count = labelValues.length;
        if (!options.oneHotLabel()) {
            double[] values = new double[count];
            for (int i = 0; i < count; i++) {
                values[i] = labelValues[i];
            }
            return backend.fromArray(values, count);
        }
        double[] oneHot = new double[count * classes];
        for (int i = 0; i < count; i++) {
            oneHot[i * classes + labelValues[i]] = 1;
        }
        return backend.fromArray(oneHot, count, classes);
    }
}
