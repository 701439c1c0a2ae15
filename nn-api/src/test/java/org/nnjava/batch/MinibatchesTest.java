package org.nnjava.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nnjava.reference.ReferenceBackend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.RecycledTensorException;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;

class MinibatchesTest {

    private static final int N = 20;
    private final ReferenceBackend backend = new ReferenceBackend(DType.FLOAT64);

    /** Row i of x is (i, i + 0.5, -i); label i is i % 10. */
    private Tensor x() {
        double[] values = new double[N * 3];
        for (int i = 0; i < N; i++) {
            values[3 * i] = i;
            values[3 * i + 1] = i + 0.5;
            values[3 * i + 2] = -i;
        }
        return backend.fromArray(values, N, 3);
    }

    private Tensor t() {
        double[] values = new double[N];
        for (int i = 0; i < N; i++) {
            values[i] = i % 10;
        }
        return backend.fromArray(values, N);
    }

    @Test
    void replaysGivenIndicesWithoutAdvancingTheSampler() {
        Minibatches batches = new Minibatches(x(), t(), MinibatchSampler.withReplacement(N, 3, 5));
        batches.next(new int[] {7, 0, 7});

        assertArrayEquals(new double[] {7, 7.5, -7, 0, 0.5, 0, 7, 7.5, -7}, batches.xBatch().toDoubleArray());
        assertArrayEquals(new double[] {7, 0, 7}, batches.tBatch().toDoubleArray());
        assertArrayEquals(new int[] {7, 0, 7}, batches.rows());
        assertArrayEquals(MinibatchSampler.withReplacement(N, 3, 5).next(), batches.next().rows(),
                "the sampler's first batch is still its next");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> batches.next(new int[] {1, 2}));
        assertEquals("minibatches: 2 indices given for a batch of 3: give exactly one index per row of the batch",
                e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> batches.next(new int[] {1, 2, N}));
    }

    /** Asserts that {@code batches}' current batch holds the data set's {@code rows}. */
    private static void assertBatchOf(Minibatches batches, int[] rows, String context) {
        double[] xs = batches.xBatch().toDoubleArray();
        double[] ts = batches.tBatch().toDoubleArray();
        for (int j = 0; j < rows.length; j++) {
            assertArrayEquals(new double[] {rows[j], rows[j] + 0.5, -rows[j]},
                    new double[] {xs[3 * j], xs[3 * j + 1], xs[3 * j + 2]}, context + ", row " + j);
            assertEquals(rows[j] % 10, ts[j], context + ", label " + j);
        }
    }

    @Test
    void outsideAStepEachBatchIsANewTensorThatKeepsItsRows() {
        for (MinibatchSampler.Order order : MinibatchSampler.Order.values()) {
            Tensor x = x();
            Tensor t = t();
            Minibatches batches = new Minibatches(x, t, MinibatchSampler.of(order, N, 4, 17));
            MinibatchSampler oracle = MinibatchSampler.of(order, N, 4, 17);
            Tensor previous = null;
            int[] previousRows = null;
            for (int b = 0; b < 12; b++) {
                int[] rows = batches.next().rows();
                assertArrayEquals(oracle.next(), rows, order + ", batch " + b);
                assertBatchOf(batches, rows, order + ", batch " + b);
                if (previous != null) {
                    assertNotSame(previous, batches.xBatch(), "a new tensor per batch");
                    assertArrayEquals(x.gatherRows(previousRows).toDoubleArray(), previous.toDoubleArray(),
                            "an earlier batch keeps its rows");
                }
                previous = batches.xBatch();
                previousRows = rows;
            }
            assertArrayEquals(x().toDoubleArray(), x.toDoubleArray(), "the data set is untouched");
            assertArrayEquals(t().toDoubleArray(), t.toDoubleArray(), "the data set is untouched");
        }
    }

    @Test
    void insideStepsTheBatchesComeFromRecycledStorage() {
        for (MinibatchSampler.Order order : MinibatchSampler.Order.values()) {
            Tensor x = x();
            Tensor t = t();
            Minibatches batches = new Minibatches(x, t, MinibatchSampler.of(order, N, 4, 17));
            MinibatchSampler oracle = MinibatchSampler.of(order, N, 4, 17);
            StepArena arena = new StepArena();
            Tensor previous = null;
            for (int b = 0; b < 12; b++) {
                long created = backend.tensorsCreated();
                arena.begin();
                try {
                    int[] rows = batches.next().rows();
                    if (b > 0) {
                        assertEquals(created, backend.tensorsCreated(), "from the second step, next() allocates no storage");
                        Tensor recycled = previous;
                        assertThrows(RecycledTensorException.class, recycled::toDoubleArray,
                                "the previous step's batch is recycled");
                    }
                    assertArrayEquals(oracle.next(), rows, order + ", batch " + b);
                    assertBatchOf(batches, rows, order + ", batch " + b + " in its step");
                    previous = batches.xBatch();
                } finally {
                    arena.end();
                }
                assertBatchOf(batches, batches.rows(), order + ", batch " + b + " after its step ended");
            }
            assertArrayEquals(x().toDoubleArray(), x.toDoubleArray(), "the data set is untouched");
            assertArrayEquals(t().toDoubleArray(), t.toDoubleArray(), "the data set is never recycled");
        }
    }

    @Test
    void batchTensorsHaveTheBatchSizeAndTheDataSetsOtherDimensions() {
        Minibatches batches = new Minibatches(x(), t(), MinibatchSampler.withReplacement(N, 7, 1));

        assertArrayEquals(new int[0], batches.rows(), "no rows before the first batch");
        IllegalStateException none = assertThrows(IllegalStateException.class, batches::xBatch);
        assertEquals("minibatches: no batch gathered yet; call next() first", none.getMessage());
        assertThrows(IllegalStateException.class, batches::tBatch);
        batches.next();
        assertArrayEquals(new int[] {7, 3}, batches.xBatch().shape().dims());
        assertArrayEquals(new int[] {7}, batches.tBatch().shape().dims());
    }

    @Test
    void inputsLabelsAndSamplerMustAgreeOnTheNumberOfSamples() {
        Tensor shortLabels = backend.fromArray(new double[N - 1], N - 1);

        ShapeMismatchException labels = assertThrows(ShapeMismatchException.class,
                () -> new Minibatches(x(), shortLabels, MinibatchSampler.withReplacement(N, 5, 0)));
        ShapeMismatchException sampler = assertThrows(ShapeMismatchException.class,
                () -> new Minibatches(x(), t(), MinibatchSampler.withReplacement(N + 1, 5, 0)));

        assertEquals("minibatches: inputs [20, 3] and labels [19] must both have the sampler's 20 samples along axis 0",
                labels.getMessage());
        assertEquals("minibatches: inputs [20, 3] and labels [20] must both have the sampler's 21 samples along axis 0",
                sampler.getMessage());
    }
}
