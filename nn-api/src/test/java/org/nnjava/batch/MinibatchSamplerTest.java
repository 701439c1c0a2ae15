package org.nnjava.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Many seeded random cases of both orders, checked against their contracts. */
class MinibatchSamplerTest {

    private static final int CASES = 200;

    @Test
    void withReplacementDrawsAsTheContractSays() {
        Random cases = new Random(1);
        for (int c = 0; c < CASES; c++) {
            int size = 1 + cases.nextInt(50);
            int batch = 1 + cases.nextInt(60); // larger than size too, as np.random.choice allows
            long seed = cases.nextLong();
            MinibatchSampler sampler = MinibatchSampler.withReplacement(size, batch, seed);
            Random oracle = new Random(seed);
            for (int b = 0; b < 5; b++) {
                int[] rows = sampler.next();
                assertEquals(batch, rows.length);
                for (int j = 0; j < batch; j++) {
                    assertEquals(oracle.nextInt(size), rows[j], "case " + c + ", batch " + b + ", row " + j);
                }
            }
        }
    }

    @Test
    void withReplacementIsUniform() {
        MinibatchSampler sampler = MinibatchSampler.withReplacement(10, 100, 42);
        int[] counts = new int[10];
        for (int b = 0; b < 1000; b++) {
            for (int row : sampler.next()) {
                counts[row]++;
            }
        }
        // 100,000 draws over 10 values: each count is Binomial(100000, 0.1), sd = sqrt(9000) ~ 95.
        for (int count : counts) {
            assertEquals(10_000, count, 5 * 95, Arrays.toString(counts));
        }
    }

    @Test
    void withReplacementRepeatsIndicesWithinABatch() {
        MinibatchSampler sampler = MinibatchSampler.withReplacement(5, 5, 3);
        boolean repeated = false;
        for (int b = 0; b < 50 && !repeated; b++) {
            repeated = Arrays.stream(sampler.next()).distinct().count() < 5;
        }
        assertTrue(repeated, "five draws of five values repeat one with probability 1 - 5!/5^5 = 0.96 per batch");
    }

    @Test
    void shuffledEpochsNeverRepeatAnIndexWithinAnEpoch() {
        Random cases = new Random(2);
        for (int c = 0; c < CASES; c++) {
            int size = 1 + cases.nextInt(60);
            int batch = 1 + cases.nextInt(size);
            MinibatchSampler sampler = MinibatchSampler.shuffledEpochs(size, batch, cases.nextLong());
            assertEquals(size / batch, sampler.batchesPerEpoch());
            for (int epoch = 0; epoch < 4; epoch++) {
                Set<Integer> seen = new HashSet<>();
                for (int b = 0; b < sampler.batchesPerEpoch(); b++) {
                    for (int row : sampler.next()) {
                        assertTrue(row >= 0 && row < size, "case " + c + ": row " + row + " of " + size);
                        assertTrue(seen.add(row), "case " + c + ", epoch " + epoch + ": row " + row + " twice");
                    }
                }
                assertEquals(size / batch * batch, seen.size(), "case " + c + ": an epoch drops only the remainder");
            }
        }
    }

    @Test
    void shuffledEpochsCoverEveryIndexAndChangeOrder() {
        MinibatchSampler sampler = MinibatchSampler.shuffledEpochs(10, 3, 5); // 3 batches, 1 left out per epoch
        Set<Integer> everSeen = new HashSet<>();
        Set<String> orders = new HashSet<>();
        for (int epoch = 0; epoch < 30; epoch++) {
            StringBuilder order = new StringBuilder();
            for (int b = 0; b < 3; b++) {
                int[] rows = sampler.next();
                Arrays.stream(rows).forEach(everSeen::add);
                order.append(Arrays.toString(rows));
            }
            orders.add(order.toString());
        }
        assertEquals(10, everSeen.size(), "the index left out of one epoch appears in others");
        assertTrue(orders.size() > 25, orders.size() + " distinct orders in 30 epochs");
    }

    @Test
    void aPermutationIsUniform() {
        // Position of index 0 in each of 40,000 epochs (one batch each) of one sampler: uniform over 0..3.
        MinibatchSampler sampler = MinibatchSampler.shuffledEpochs(4, 4, 8);
        int[] counts = new int[4];
        for (int epoch = 0; epoch < 40_000; epoch++) {
            int[] rows = sampler.next();
            for (int position = 0; position < 4; position++) {
                if (rows[position] == 0) {
                    counts[position]++;
                }
            }
        }
        // Binomial(40000, 0.25): sd ~ 87.
        for (int count : counts) {
            assertEquals(10_000, count, 5 * 87, Arrays.toString(counts));
        }
    }

    @Test
    void oneSeedGivesOneSequence() {
        for (MinibatchSampler.Order order : MinibatchSampler.Order.values()) {
            MinibatchSampler a = MinibatchSampler.of(order, 100, 10, 9);
            MinibatchSampler b = MinibatchSampler.of(order, 100, 10, 9);
            MinibatchSampler other = MinibatchSampler.of(order, 100, 10, 10);
            boolean differs = false;
            for (int i = 0; i < 25; i++) {
                int[] rows = a.next();
                assertArrayEquals(rows, b.next(), order + ", batch " + i);
                differs |= !Arrays.equals(rows, other.next());
            }
            assertTrue(differs, order + ": another seed gives other batches");
        }
    }

    @Test
    void skippingKBatchesContinuesWithBatchKPlusOne() {
        for (MinibatchSampler.Order order : MinibatchSampler.Order.values()) {
            MinibatchSampler whole = MinibatchSampler.of(order, 23, 5, 8L);
            int[][] batches = new int[17][];
            for (int b = 0; b < batches.length; b++) {
                batches[b] = whole.next();
            }
            for (int k : new int[] {0, 1, 4, 5, 9, 16}) {
                MinibatchSampler skipped = MinibatchSampler.of(order, 23, 5, 8L);
                skipped.skip(k);
                for (int b = k; b < batches.length; b++) {
                    assertArrayEquals(batches[b], skipped.next(), order + ", skip " + k + ", batch " + b);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> MinibatchSampler.withReplacement(3, 1, 1L).skip(-1));
    }

    @Test
    void batchesPerEpochFollowTheBook() {
        assertEquals(600, MinibatchSampler.withReplacement(60_000, 100, 0).batchesPerEpoch());
        assertEquals(1, MinibatchSampler.withReplacement(50, 100, 0).batchesPerEpoch(), "max(train_size / batch_size, 1)");
        assertEquals(3, MinibatchSampler.shuffledEpochs(10, 3, 0).batchesPerEpoch());
    }

    @Test
    void refusesEmptyDataAndOversizedShuffledBatches() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> MinibatchSampler.withReplacement(0, 10, 0));
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> MinibatchSampler.shuffledEpochs(5, 6, 0));

        assertEquals("minibatches: size 0 and batchSize 10 must both be at least 1", empty.getMessage());
        assertEquals("minibatches: batchSize 6 exceeds the 5 samples; an epoch without replacement cannot fill one"
                + " batch (use WITH_REPLACEMENT or a smaller batch)", tooBig.getMessage());
        assertFalse(MinibatchSampler.withReplacement(5, 6, 0).next().length != 6, "with replacement it can");
    }
}
