package org.nnjava.spark;

import java.util.Locale;

/** How partitions combine their work; see {@link SparkTrainer}. */
public enum SyncMode {
    /** Every iteration: gradients of each partition's share summed and applied once by the driver. */
    GRADIENTS,
    /** Every {@code localSteps} iterations: parameters and optimizer state averaged over the partitions. */
    PARAMS;

    /**
     * {@code gradients} or {@code params}.
     *
     * @param text the name, in any case
     * @return the mode
     * @throws IllegalArgumentException for anything else
     */
    public static SyncMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --sync '" + text + "': use gradients or params", e);
        }
    }
}
