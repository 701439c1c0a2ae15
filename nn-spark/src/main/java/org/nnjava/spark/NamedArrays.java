package org.nnjava.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;

/**
 * Named arrays as they cross the wire between driver and executors: primitive {@code double[]} with their
 * shapes, never tensors. Sums and averages of several are elementwise.
 */
final class NamedArrays implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, double[]> values = new LinkedHashMap<>();
    private final LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();

    /** Copies of the tensors' values. */
    static NamedArrays of(Map<String, Tensor> tensors) {
        NamedArrays arrays = new NamedArrays();
        tensors.forEach((name, t) -> arrays.put(name, t.toDoubleArray(), t.shape().dims()));
        return arrays;
    }

    void put(String name, double[] data, int[] shape) {
        values.put(name, data);
        shapes.put(name, shape);
    }

    Map<String, double[]> values() {
        return values;
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** Adds {@code weight · other} elementwise into this (a name missing here is copied in). */
    NamedArrays addScaled(NamedArrays other, double weight) {
        other.values.forEach((name, data) -> {
            double[] mine = values.get(name);
            if (mine == null) {
                mine = new double[data.length];
                put(name, mine, other.shapes.get(name));
            }
            for (int i = 0; i < data.length; i++) {
                mine[i] += weight * data[i];
            }
        });
        return this;
    }

    /** Multiplies every value by {@code factor}, in place. */
    NamedArrays scale(double factor) {
        values.values().forEach(data -> {
            for (int i = 0; i < data.length; i++) {
                data[i] *= factor;
            }
        });
        return this;
    }

    /** New tensors on {@code backend}. */
    Map<String, Tensor> toTensors(Backend backend) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        values.forEach((name, data) -> tensors.put(name, backend.fromArray(data, shapes.get(name))));
        return tensors;
    }

    /** Copies each array into the live tensor of its name in {@code targets} (which must all be there). */
    void assignTo(Map<String, Tensor> targets) {
        values.forEach((name, data) -> {
            Tensor target = targets.get(name);
            if (target == null) {
                throw new IllegalStateException("spark: no tensor named " + name + " to assign; the network's state"
                        + " has " + targets.keySet());
            }
            target.assign(data);
        });
    }
}
