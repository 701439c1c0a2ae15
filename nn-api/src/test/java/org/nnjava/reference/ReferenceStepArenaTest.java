package org.nnjava.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnjava.batch.MinibatchSampler;
import org.nnjava.batch.Minibatches;
import org.nnjava.net.Activation;
import org.nnjava.net.MultiLayerNetExtend;
import org.nnjava.net.Network;
import org.nnjava.optim.Adam;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.TrainingStep;

/**
 * What the kit's arena tests cannot see on every backend: that a step arena really reuses storage. The
 * reference backend counts the storage it creates ({@link ReferenceBackend#tensorsCreated()}, views
 * excluded), so a repeated step must create none once the first step has made it.
 */
class ReferenceStepArenaTest {

    private static final int N = 60;

    private static Tensor inputs(ReferenceBackend nd) {
        return nd.randn(new Random(1L), N, 8);
    }

    private static Tensor labels(ReferenceBackend nd) {
        double[] t = new double[N];
        for (int i = 0; i < N; i++) {
            t[i] = i % 3;
        }
        return nd.fromArray(t, N);
    }

    private static Network network(ReferenceBackend nd) {
        return MultiLayerNetExtend.builder(nd, 8, 3).hidden(6, 5).activation(Activation.TANH).batchNorm(true)
                .dropout(0.2).weightDecay(0.01).seed(2L).build();
    }

    private static long storageMadeBySteps(boolean recycle, int from, int to) {
        ReferenceBackend nd = new ReferenceBackend(DType.FLOAT64);
        TrainingStep step = new TrainingStep(network(nd), new Adam(), new Minibatches(inputs(nd), labels(nd),
                MinibatchSampler.withReplacement(N, 10, 3L)), recycle);
        for (int i = 0; i < from; i++) {
            step.next();
        }
        long before = nd.tensorsCreated();
        for (int i = from; i < to; i++) {
            step.next();
        }
        return nd.tensorsCreated() - before;
    }

    @Test
    void aRepeatedTrainingStepCreatesNoStorageAfterTheFirst() {
        // The first step also makes Adam's moments, outside the arena: they are not recycled storage.
        assertEquals(0, storageMadeBySteps(true, 1, 10), "steps 2 to 10 run on step 1's storage");
        assertTrue(storageMadeBySteps(false, 1, 10) > 9 * 50, "without an arena each step makes its tensors");
    }

    @Test
    void copiesAndTensorsMadeOutsideTheStepAreNewStorage() {
        ReferenceBackend nd = new ReferenceBackend(DType.FLOAT32);
        Tensor x = nd.randn(4L, 3, 4);
        StepArena arena = new StepArena();
        for (int i = 0; i < 2; i++) {
            arena.begin();
            try {
                x.exp().sum(0);
            } finally {
                arena.end();
            }
        }
        long before = nd.tensorsCreated();
        arena.begin();
        try {
            x.exp().sum(0);
            assertEquals(before, nd.tensorsCreated(), "the step's results are recycled storage");
            x.exp().copy();
            StepArena.outside(() -> x.mul(2.0));
            assertEquals(before + 3, nd.tensorsCreated(), "a step larger than the last, a copy, and outside(...)");
        } finally {
            arena.end();
        }
    }
}
