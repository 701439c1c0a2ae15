package org.nnjava.benchmarks.bench;

import org.nnjava.tensor.Backend;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;

/**
 * The machine's attainable product rate, from a large square product in a JVM backend (through ND4J
 * it is OpenBLAS's {@code cblas_?gemm}; through EJML, the backend's own GEMM): the best of a few tries,
 * in GFLOP/s ({@code 2·n³} operations). The NumPy references measure the same in Python.
 */
final class PeakGemm {

    static final int REPEATS = 5;

    private PeakGemm() {
    }

    static double rate(Backend nd, int n) {
        Tensor a = nd.randn(11L, n, n);
        Tensor b = nd.randn(12L, n, n);
        StepArena arena = new StepArena(); // the product's result is recycled, not allocated, after the first
        long best = Long.MAX_VALUE;
        for (int r = -1; r < REPEATS; r++) { // r = -1 warms up the JIT and the BLAS's buffers
            arena.begin();
            try {
                long start = System.nanoTime();
                a.matmul(b);
                long nanos = System.nanoTime() - start;
                best = r < 0 ? best : Math.min(best, nanos);
            } finally {
                arena.end();
            }
        }
        return 2.0 * n * n * n / best;
    }
}
