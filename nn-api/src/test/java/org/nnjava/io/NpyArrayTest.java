package org.nnjava.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nnjava.reference.ReferenceBackend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.InvalidShapeException;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.Tensor;

class NpyArrayTest {

    @Test
    void isImmutable() {
        double[] data = {1, 2, 3, 4};
        NpyArray array = NpyArray.ofFloat64(data, 2, 2);
        data[0] = 9;
        array.toDoubleArray()[1] = 9;
        assertArrayEquals(new double[] {1, 2, 3, 4}, array.toDoubleArray());
        assertEquals(Shape.of(2, 2), array.shape());
        assertEquals(DType.FLOAT64, array.dtype());
        assertEquals(4, array.size());
        assertEquals("float64 [2, 2]", array.toString());
    }

    @Test
    void dataMustFillTheShape() {
        InvalidShapeException e = assertThrows(InvalidShapeException.class,
                () -> NpyArray.ofFloat32(new float[5], 2, 3));
        assertEquals("NpyArray: 5 values do not fill shape [2, 3] (6 elements); give exactly one value per element",
                e.getMessage());
        assertEquals(1, NpyArray.ofFloat64(new double[] {7}).size()); // 0-d: one element
    }

    @Test
    void convertsBetweenDtypesAsJavaCastsDo() {
        NpyArray wide = NpyArray.ofFloat64(new double[] {0.1, 1e300, 5e-324}, 3);
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY, 0f}, wide.toFloatArray());
        NpyArray narrow = NpyArray.ofFloat32(new float[] {0.1f}, 1);
        assertArrayEquals(new double[] {0.10000000149011612}, narrow.toDoubleArray());
    }

    @Test
    void equalityIsShapeDtypeAndValuesWithNanEqualToItself() {
        assertEquals(NpyArray.ofFloat64(new double[] {Double.NaN}, 1), NpyArray.ofFloat64(new double[] {Double.NaN}, 1));
        assertEquals(NpyArray.ofFloat64(new double[] {1, 2}, 2).hashCode(), NpyArray.ofFloat64(new double[] {1, 2}, 2).hashCode());
        assertNotEquals(NpyArray.ofFloat64(new double[] {0.0}, 1), NpyArray.ofFloat64(new double[] {-0.0}, 1));
        assertNotEquals(NpyArray.ofFloat64(new double[] {1}, 1), NpyArray.ofFloat32(new float[] {1}, 1));
        assertNotEquals(NpyArray.ofFloat64(new double[] {1, 2}, 2), NpyArray.ofFloat64(new double[] {1, 2}, 1, 2));
    }

    @Test
    void convertsToAndFromTensors() {
        Tensor tensor = new ReferenceBackend(DType.FLOAT32).fromArray(new double[] {0.5, -1, 2}, 3, 1);
        NpyArray array = NpyArray.of(tensor);
        assertEquals(NpyArray.ofFloat32(new float[] {0.5f, -1f, 2f}, 3, 1), array);

        Tensor onFloat64 = array.toTensor(new ReferenceBackend(DType.FLOAT64));
        assertEquals(DType.FLOAT64, onFloat64.dtype());
        assertEquals(Shape.of(3, 1), onFloat64.shape());
        assertArrayEquals(new double[] {0.5, -1, 2}, onFloat64.toDoubleArray());

        Tensor rounded = NpyArray.ofFloat64(new double[] {0.1}).toTensor(new ReferenceBackend(DType.FLOAT32));
        assertEquals(Shape.of(), rounded.shape());
        assertArrayEquals(new float[] {0.1f}, rounded.toFloatArray());
    }
}
