package org.nnjava.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ResumableRandom} draws what {@code java.util.Random} draws, and continues exactly from its state. */
class ResumableRandomTest {

    @Test
    void drawsTheSameNumbersAsJavaUtilRandom() {
        for (long seed : new long[] {0, 1, -7, 42, Long.MAX_VALUE, Long.MIN_VALUE}) {
            Random expected = new Random(seed);
            ResumableRandom actual = new ResumableRandom(seed);
            for (int i = 0; i < 1000; i++) {
                assertEquals(expected.nextDouble(), actual.nextDouble(), "seed " + seed + " draw " + i);
                assertEquals(expected.nextInt(7919), actual.nextInt(7919));
                assertEquals(expected.nextInt(1 << 20), actual.nextInt(1 << 20));
                assertEquals(expected.nextLong(), actual.nextLong());
            }
        }
    }

    @Test
    void aGeneratorRestoredFromTheStateContinuesTheSequence() {
        ResumableRandom original = new ResumableRandom(5);
        for (int i = 0; i < 37; i++) {
            original.nextDouble();
        }
        ResumableRandom copy = ResumableRandom.fromState(original.state());
        for (int i = 0; i < 100; i++) {
            assertEquals(original.nextDouble(), copy.nextDouble());
        }
    }

    @Test
    void aStateOutsideFortyEightBitsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResumableRandom.fromState(1L << 48));
        assertEquals("random state 281474976710656 is outside [0, 2^48); it was not saved from this generator", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ResumableRandom.fromState(-1));
    }
}
