package org.nnjava.data;

import org.nnjava.tensor.Tensor;

/**
 * A data set of labelled images as tensors of one backend, the book's
 * {@code (x_train, t_train), (x_test, t_test)}. Shapes are as {@link LoadOptions} describes.
 *
 * @param name the data set's name, e.g. {@code mnist}
 * @param classes the number of classes (10 for the MNIST family)
 */
public record TensorDataSet(String name, Tensor xTrain, Tensor tTrain, Tensor xTest, Tensor tTest, int classes) {

    /**
     * The number of training images.
     *
     * @return the first dimension of {@link #xTrain()}
     */
    public int trainSize() {
        return xTrain.shape().dim(0);
    }

    /**
     * The number of test images.
     *
     * @return the first dimension of {@link #xTest()}
     */
    public int testSize() {
        return xTest.shape().dim(0);
    }
}
