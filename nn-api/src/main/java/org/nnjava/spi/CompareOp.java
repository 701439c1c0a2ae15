package org.nnjava.spi;

/** Comparisons producing masks: 1 where {@code x op y} holds, else 0. Any comparison with NaN is false. */
public enum CompareOp {
    /** {@code x > y} */
    GT,
    /** {@code x >= y} */
    GE,
    /** {@code x < y} */
    LT,
    /** {@code x <= y} */
    LE,
    /** {@code x == y} */
    EQ
}
