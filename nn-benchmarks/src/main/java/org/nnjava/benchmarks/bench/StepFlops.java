package org.nnjava.benchmarks.bench;

/**
 * The floating-point operations of one training step of TwoLayerNet (input I, hidden H, classes C,
 * batch B), counted from the step's arithmetic: a product of {@code [m, k] x [k, n]} is {@code 2·m·n·k};
 * every elementwise operation, reduction step and {@code exp}/{@code log} is one. The products are 99%
 * of it; the gather moves data and does no arithmetic.
 */
final class StepFlops {

    private StepFlops() {
    }

    /**
     * The library's step, which the lean NumPy, DL4J and PyTorch also do: two forward passes (the
     * gradient's and the loss after the update), the backward pass without the first layer's input
     * gradient, and SGD on the four parameters.
     */
    static double step(int inputs, int hidden, int classes, int batch) {
        double i = inputs;
        double h = hidden;
        double c = classes;
        double b = batch;
        double forward = 2 * b * i * h + b * h // x·W1 + b1
                + b * h // ReLU
                + 2 * b * h * c + b * c // h·W2 + b2
                + 6 * b * c + b; // softmax with cross-entropy: max, subtract, exp, sum, log, t·log-softmax
        double backward = 2 * b * c // (y - t) / N
                + 2 * h * b * c + b * c // dW2 = hᵀ·dy, db2
                + 2 * b * c * h // dh = dy·W2ᵀ
                + b * h // the ReLU mask
                + 2 * i * b * h + b * h; // dW1 = xᵀ·dh, db1
        double sgd = 2 * (i * h + h + h * c + c);
        return 2 * forward + backward + sgd;
    }

    /**
     * The library's SimpleConvNet step, which the lean NumPy SimpleConvNet also does (ch07, 30 filters 5x5 on
     * [B, 1, 28, 28], pool 2x2, 4320-100-10; the products only, over 99% of it): two forward passes (the gradient's and the loss after the update), the
     * backward pass without the first layer's input gradient (the library skips it), Adam's update (about 10
     * operations per parameter).
     */
    static double convStep(int batch) {
        double b = batch;
        double conv = 2 * b * 24 * 24 * 30 * 25; // col [B·576, 25] · colW [25, 30]
        double affine1 = 2 * b * 4320 * 100;
        double affine2 = 2 * b * 100 * 10;
        double params = 30 * 25 + 30 + 4320 * 100 + 100 + 100 * 10 + 10;
        return 2 * (conv + affine1 + affine2) + (conv + 2 * affine1 + 2 * affine2) + 10 * params;
    }

    /**
     * The book-style SimpleConvNet step: the same plus the first layer's input gradient {@code dout·colWᵀ} (its
     * col2im, which adds the columns back into the image, is not counted).
     */
    static double convBookStep(int batch) {
        return convStep(batch) + 2.0 * batch * 24 * 24 * 30 * 25;
    }

    /** The book-style step: the same plus the first layer's input gradient {@code dout·W1ᵀ}, which nothing uses. */
    static double bookStep(int inputs, int hidden, int classes, int batch) {
        return step(inputs, hidden, classes, batch) + 2.0 * batch * hidden * inputs;
    }
}
