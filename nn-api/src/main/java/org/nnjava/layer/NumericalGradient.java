package org.nnjava.layer;

import java.util.function.DoubleSupplier;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

/**
 * Numerical gradients by central difference, as the book's {@code numerical_gradient} (chapter 4.4):
 * {@code df/dp_i ≈ (f(p_i + h) - f(p_i - h)) / 2h} with {@code h = 1e-4}, for every element of a
 * parameter tensor, which is perturbed in place and restored.
 */
public final class NumericalGradient {

    /** The step of the central difference, as in the book. */
    public static final double H = 1e-4;

    private NumericalGradient() {
    }

    /**
     * The gradient of {@code f} with respect to {@code param}, in {@code param}'s shape. {@code f} must
     * read {@code param} (the live tensor) each time it is called.
     *
     * @param f the function, evaluated twice per element of {@code param}
     * @param param a float64 tensor; each element is perturbed in turn and restored
     * @return a new tensor of {@code param}'s shape
     * @throws IllegalArgumentException unless {@code param} is float64: a step of 1e-4 is mostly lost to
     *     float32 rounding
     */
    public static Tensor of(DoubleSupplier f, Tensor param) {
        if (param.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("numerical gradient: the parameter is " + param.dtype().label()
                    + "; central differences with h = 1e-4 need float64 (create the layer on a float64 backend)");
        }
        int[] shape = param.shape().dims();
        Tensor flat = param.reshape(-1);
        double[] grad = new double[param.size()];
        for (int i = 0; i < grad.length; i++) {
            double original = flat.get(i);
            flat.set(original + H, i);
            double plus = f.getAsDouble();
            flat.set(original - H, i);
            double minus = f.getAsDouble();
            flat.set(original, i);
            grad[i] = (plus - minus) / (2 * H);
        }
        return param.backend().fromArray(grad, shape);
    }
}
