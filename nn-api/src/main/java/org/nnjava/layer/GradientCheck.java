package org.nnjava.layer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nnjava.tensor.Tensor;

/**
 * Compares a layer's backward pass with numerical gradients (the book's gradient check, chapter 5.7.3).
 *
 * <p>A layer's output is reduced to a scalar loss {@code L = Σ out ⊙ r} with a fixed random {@code r},
 * so that {@code dL/dout = r} exercises every output element. The error of an analytic gradient
 * {@code a} against the numerical {@code n} is {@code ‖a − n‖ / (‖a‖ + ‖n‖)} (0 when both are 0):
 * below 1e-7 in float64 for a correct layer with inputs away from kinks.
 */
public final class GradientCheck {

    private GradientCheck() {
    }

    /**
     * The relative error of each gradient of {@code layer} at input {@code x}: the key {@code x} for
     * the input gradient, then one key per parameter name.
     *
     * @param layer the layer to check, in its current mode; its caches are overwritten
     * @param x an input the layer accepts; perturbed during the check and restored
     * @param seed the seed of the random upstream gradient {@code dout}
     * @return the relative error ({@link #relativeError}) by gradient name
     */
    public static Map<String, Double> of(Layer layer, Tensor x, long seed) {
        Tensor r = x.backend().randn(seed, layer.forward(x).shape().dims());
        Tensor dx = layer.backward(r);
        Map<String, Tensor> grads = new LinkedHashMap<>();
        layer.grads().forEach((name, g) -> grads.put(name, g.copy()));
        Map<String, Double> errors = new LinkedHashMap<>();
        Tensor input = x.copy();
        java.util.function.DoubleSupplier loss = () -> layer.forward(input).mul(r).sum().item();
        errors.put("x", relativeError(dx, NumericalGradient.of(loss, input)));
        for (Map.Entry<String, Tensor> p : layer.params().entrySet()) {
            errors.put(p.getKey(), relativeError(grads.get(p.getKey()), NumericalGradient.of(loss, p.getValue())));
        }
        return errors;
    }

    /**
     * The relative error of both input gradients of a two-input layer: keys {@code x} and {@code y}.
     *
     * @param layer the layer to check; its caches are overwritten
     * @param x the first input; perturbed during the check and restored
     * @param y the second input, of a shape the layer accepts with {@code x}; perturbed and restored
     * @param seed the seed of the random upstream gradient {@code dout}
     * @return the relative error by input name
     */
    public static Map<String, Double> of(TwoInputLayer layer, Tensor x, Tensor y, long seed) {
        Tensor r = x.backend().randn(seed, layer.forward(x, y).shape().dims());
        InputGradients g = layer.backward(r);
        Tensor xs = x.copy();
        Tensor ys = y.copy();
        java.util.function.DoubleSupplier loss = () -> layer.forward(xs, ys).mul(r).sum().item();
        Map<String, Double> errors = new LinkedHashMap<>();
        errors.put("x", relativeError(g.dx(), NumericalGradient.of(loss, xs)));
        errors.put("y", relativeError(g.dy(), NumericalGradient.of(loss, ys)));
        return errors;
    }

    /**
     * The relative error of a loss layer's input gradient at scores {@code x} and labels {@code t}: key {@code x}.
     *
     * @param layer the loss layer to check; its caches are overwritten
     * @param x the scores, {@code [N, C]}; perturbed during the check and restored
     * @param t the labels the layer accepts
     * @return the relative error under the key {@code x}
     */
    public static Map<String, Double> of(LossLayer layer, Tensor x, Tensor t) {
        layer.forward(x, t);
        Tensor dx = layer.backward();
        Tensor xs = x.copy();
        return Map.of("x", relativeError(dx, NumericalGradient.of(() -> layer.forward(xs, t), xs)));
    }

    /**
     * {@code ‖a − n‖₂ / (‖a‖₂ + ‖n‖₂)}, or 0 when both are zero.
     *
     * @param analytic the gradient by backpropagation
     * @param numerical the gradient by central differences, of the same shape
     * @return the relative error in {@code [0, 1]} (NaN if either holds NaN)
     */
    public static double relativeError(Tensor analytic, Tensor numerical) {
        double[] a = analytic.toDoubleArray();
        double[] n = numerical.toDoubleArray();
        if (a.length != n.length) {
            throw new IllegalArgumentException("relativeError: " + analytic.shape() + " vs " + numerical.shape()
                    + ": the gradients must have the same shape");
        }
        double diff = 0;
        double na = 0;
        double nn = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - n[i]) * (a[i] - n[i]);
            na += a[i] * a[i];
            nn += n[i] * n[i];
        }
        double denominator = Math.sqrt(na) + Math.sqrt(nn);
        return denominator == 0 ? 0 : Math.sqrt(diff) / denominator;
    }
}
