package org.nnjava.batch;

import java.util.Random;

/**
 * Draws the sample indices of minibatches from a seeded generator, in one of two orders:
 * <ul>
 *   <li>{@link Order#WITH_REPLACEMENT}: each batch is {@code batchSize} indices drawn independently and
 *       uniformly from {@code 0..size-1}, as the book's {@code np.random.choice(train_size, batch_size)};
 *       a batch may repeat an index. Index {@code j} of a batch is {@code random.nextInt(size)} from
 *       {@code new Random(seed)}, in order.</li>
 *   <li>{@link Order#SHUFFLED_EPOCHS}: each epoch is a fresh uniform permutation of {@code 0..size-1}
 *       (Fisher-Yates, driven by {@code new Random(seed)}), cut into consecutive batches; within an epoch
 *       no index repeats. The last {@code size % batchSize} indices of each permutation are left out, so
 *       that every batch is full (as PyTorch's {@code drop_last}); they are as likely as any others to be
 *       in the next epoch.</li>
 * </ul>
 * One seed gives one sequence of batches. Not thread-safe.
 */
public final class MinibatchSampler {

    /** How batches are drawn; see the class comment. */
    public enum Order {
        /** Independent uniform draws, as {@code np.random.choice}. */
        WITH_REPLACEMENT,
        /** Consecutive slices of a new permutation each epoch. */
        SHUFFLED_EPOCHS
    }

    private final Order order;
    private final int size;
    private final int batchSize;
    private final Random random;
    private int[] permutation;
    private int position;

    private MinibatchSampler(Order order, int size, int batchSize, long seed) {
        if (size < 1 || batchSize < 1) {
            throw new IllegalArgumentException("minibatches: size " + size + " and batchSize " + batchSize
                    + " must both be at least 1");
        }
        if (order == Order.SHUFFLED_EPOCHS && batchSize > size) {
            throw new IllegalArgumentException("minibatches: batchSize " + batchSize + " exceeds the " + size
                    + " samples; an epoch without replacement cannot fill one batch (use WITH_REPLACEMENT"
                    + " or a smaller batch)");
        }
        this.order = order;
        this.size = size;
        this.batchSize = batchSize;
        this.random = new Random(seed);
    }

    /**
     * A sampler of {@code batchSize} indices from {@code 0..size-1} in the given order.
     *
     * @param order how indices are drawn
     * @param size the number of samples, at least 1
     * @param batchSize indices per batch, at least 1
     * @param seed the seed of the sampler's generator
     * @return a new sampler positioned before its first batch
     * @throws IllegalArgumentException if {@code size} or {@code batchSize} is below 1, or, for
     *     {@code SHUFFLED_EPOCHS}, {@code batchSize > size}
     */
    public static MinibatchSampler of(Order order, int size, int batchSize, long seed) {
        return new MinibatchSampler(order, size, batchSize, seed);
    }

    /**
     * {@link #of} with {@link Order#WITH_REPLACEMENT}: the book's minibatches.
     *
     * @param size the number of samples, at least 1
     * @param batchSize indices per batch, at least 1
     * @param seed the seed of the sampler's generator
     * @return a new sampler positioned before its first batch
     * @throws IllegalArgumentException if {@code size} or {@code batchSize} is below 1
     */
    public static MinibatchSampler withReplacement(int size, int batchSize, long seed) {
        return of(Order.WITH_REPLACEMENT, size, batchSize, seed);
    }

    /**
     * {@link #of} with {@link Order#SHUFFLED_EPOCHS}.
     *
     * @param size the number of samples, at least 1
     * @param batchSize indices per batch, at least 1 and at most {@code size}
     * @param seed the seed of the sampler's generator
     * @return a new sampler positioned before its first batch
     * @throws IllegalArgumentException if {@code size} or {@code batchSize} is below 1, or {@code batchSize > size}
     */
    public static MinibatchSampler shuffledEpochs(int size, int batchSize, long seed) {
        return of(Order.SHUFFLED_EPOCHS, size, batchSize, seed);
    }

    /**
     * The order indices are drawn in.
     *
     * @return the order given at creation
     */
    public Order order() {
        return order;
    }

    /**
     * The number of samples indices are drawn from.
     *
     * @return the size given at creation
     */
    public int size() {
        return size;
    }

    /**
     * The number of indices per batch.
     *
     * @return the batch size given at creation
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Batches per epoch: {@code size / batchSize}, at least 1 when drawing with replacement (the book's
     * {@code iter_per_epoch = max(train_size / batch_size, 1)}).
     *
     * @return the number of batches that make an epoch
     */
    public int batchesPerEpoch() {
        return order == Order.WITH_REPLACEMENT ? Math.max(size / batchSize, 1) : size / batchSize;
    }

    /**
     * The next batch's indices, a new array of {@code batchSize} values in {@code 0..size-1}.
     *
     * @return the indices; advances the sampler
     */
    public int[] next() {
        int[] rows = new int[batchSize];
        if (order == Order.WITH_REPLACEMENT) {
            for (int j = 0; j < batchSize; j++) {
                rows[j] = random.nextInt(size);
            }
            return rows;
        }
        if (permutation == null || position + batchSize > size) {
            reshuffle();
        }
        System.arraycopy(permutation, position, rows, 0, batchSize);
        position += batchSize;
        return rows;
    }

    /**
     * Advances past {@code batches} batches without returning them, as that many {@link #next()} calls
     * would: a sampler created with the same arguments and skipped by {@code k} continues with the
     * {@code k+1}-th batch of the original, which is how resumed training draws what it would have drawn.
     *
     * @param batches how many batches to skip, {@code >= 0}
     * @throws IllegalArgumentException if {@code batches} is negative
     */
    public void skip(long batches) {
        if (batches < 0) {
            throw new IllegalArgumentException("minibatches: cannot skip " + batches + " batches; give a count >= 0");
        }
        for (long b = 0; b < batches; b++) {
            if (order == Order.WITH_REPLACEMENT) {
                for (int j = 0; j < batchSize; j++) {
                    random.nextInt(size);
                }
            } else {
                if (permutation == null || position + batchSize > size) {
                    reshuffle();
                }
                position += batchSize;
            }
        }
    }

    /** A new uniform permutation; reshuffling the previous one in place is as uniform as starting from 0..n-1. */
    private void reshuffle() {
        if (permutation == null) {
            permutation = new int[size];
            for (int i = 0; i < size; i++) {
                permutation[i] = i;
            }
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
        position = 0;
    }
}
