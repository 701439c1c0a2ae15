package org.nnjava.spark;

import java.io.Serializable;
import org.nnjava.net.NetworkSpec;

/**
 * Everything an executor needs to rebuild its part of a training run: what it ships to the cluster
 * instead of tensors. The data set is read on each executor (by name, or from {@code dataDir}), so the
 * driver never sends or collects it.
 *
 * @param backend the backend's name, or null for the executor's default choice
 * @param dtype {@code float64} or {@code float32}
 * @param dataset the data set's name ({@code mnist-sample}, ...)
 * @param dataDir a directory with the data set's files, visible to every executor, or null for the cache
 * @param network the architecture
 * @param optimizer the optimizer's name (for {@link SyncMode#PARAMS}, where partitions step themselves)
 * @param learningRate its learning rate
 * @param partitions the number of partitions P
 * @param batchPerPartition the samples each partition draws per iteration, b
 * @param seed the seed of the minibatch draws
 * @param mode how partitions combine their work
 * @param localSteps iterations between averages in {@link SyncMode#PARAMS}
 * @serial exclude
 */
public record SparkJob(String backend, String dtype, String dataset, String dataDir, NetworkSpec network,
        String optimizer, double learningRate, int partitions, int batchPerPartition, long seed, SyncMode mode,
        int localSteps) implements Serializable {

    /**
     * Checks the counts.
     *
     * @param backend the backend's name, or null for the executor's default choice
     * @param dtype {@code float64} or {@code float32}
     * @param dataset the data set's name
     * @param dataDir a directory with the data set's files visible to every executor, or null
     * @param network the architecture
     * @param optimizer the optimizer's name
     * @param learningRate its learning rate
     * @param partitions the number of partitions P, at least 1
     * @param batchPerPartition the samples each partition draws per iteration, at least 1
     * @param seed the seed of the minibatch draws
     * @param mode how partitions combine their work
     * @param localSteps iterations between averages in {@link SyncMode#PARAMS}, at least 1
     * @throws IllegalArgumentException if a count is below 1
     */
    public SparkJob {
        if (partitions < 1 || batchPerPartition < 1 || localSteps < 1) {
            throw new IllegalArgumentException("spark: partitions " + partitions + ", batch per partition "
                    + batchPerPartition + " and local steps " + localSteps + " must all be at least 1");
        }
    }

    /**
     * The global minibatch.
     *
     * @return {@code P · b}, the samples of one iteration over all partitions
     */
    public int globalBatch() {
        return Math.multiplyExact(partitions, batchPerPartition);
    }
}
