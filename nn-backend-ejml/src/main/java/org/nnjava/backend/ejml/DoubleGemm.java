package org.nnjava.backend.ejml;

import java.util.Arrays;

//64 FloatGemm is generated from this file at build time by the float32 rules in the parent pom
//64 (docs/backends.md): the same text with the type names swapped; these //64 lines are left out.
/**
 * The float64 matrix product {@code c = op(a)·op(b)} on row-major arrays, in pure Java, written so
 * that HotSpot 17's C2 compiler turns its inner loop into AVX / AVX-512 instructions.
 *
 * <p>Every output row is a sum of scaled rows, {@code c[i, :] = Σ_p op(a)[i, p] · op(b)[p, :]}. The
 * rows of {@code op(b)} are first copied ("packed") into arrays of their own, because C2 vectorises a
 * loop only when all its arrays are indexed alike ({@code x[j]}, not {@code x[offset + j]}). The inner
 * loop then updates three output rows from three packed rows: nine multiply-adds per six loads and
 * three stores. Measured with the disassembler on the training step's shapes, that 3x3 block is the
 * largest C2 17 still vectorises (2x3, 2x4, 3x4 and 4x4 stay scalar), and only when written with
 * {@link Math#fma}; {@link #accumulate} lists the other conditions. It runs at 25 to 60 GFLOP/s on
 * one core where EJML runs at 5.
 *
 * <p>When {@code a} is stored transposed and {@code c} has more rows than columns (the weight
 * gradient {@code xᵀ·dout}), the product is computed transposed, {@code cᵀ = op(b)ᵀ·op(a)ᵀ}, over the
 * longer rows, and written back column by column (see {@link #prefersTransposedOutput}).
 *
 * <p>Each thread that multiplies has one instance, holding the packed rows and output rows from call
 * to call, so after the first calls a training step allocates nothing here. The output rows are
 * shared between threads through {@link GemmWorkers}.
 */
final class DoubleGemm implements GemmWorkers.RowTask {

    /** Output rows per pass and packed rows per pass (see the class comment). */
    private static final int BLOCK = 3;

    /**
     * Output rows computed per pass when they are c's own rows, which are copied out at once: so the
     * scratch of each thread stays small (96 rows of 50 columns: 4,800 elements) whatever {@code m} is.
     */
    private static final int PANEL = 96;

    private static final ThreadLocal<DoubleGemm> PER_THREAD = ThreadLocal.withInitial(DoubleGemm::new);

    /** Each thread's panel of output rows (of any call it works on), grown to the longest rows seen. */
    private static final ThreadLocal<double[][]> PANELS = ThreadLocal.withInitial(() -> new double[0][]);

    // The product in progress: row r of the computed matrix is Σ_p scalars[r·rowStride + p·depthStride]
    // · packed[p], for r < rows, each row len long; it is c itself, or cᵀ when transposedOut.
    private double[] scalars;
    private int rowStride;
    private int depthStride;
    private int rows;
    private int len;
    private int depth;
    private double[] out;
    private int outCols;
    private boolean transposedOut;

    // Scratch kept between calls; each row grows on its own to the longest length it has held. The
    // output rows hold cᵀ whole (it is written to c at the end); c's own rows go through PANELS.
    private double[][] packed = new double[0][];
    private double[][] outRows = new double[0][];

    private DoubleGemm() {
    }

    /**
     * {@code c[m, n] = op(a)·op(b)}, where {@code op(a)} is {@code a} ({@code [m, k]}) or, when
     * {@code transposeA}, the transpose of {@code a} stored as {@code [k, m]}; likewise {@code op(b)}
     * is {@code [k, n]}, stored as {@code [n, k]} when {@code transposeB}. All arrays are row-major and
     * may be longer than their matrices. Every one of {@code c}'s first {@code m·n} elements is
     * written and none is read, so old contents (NaN included) never leak; {@code c} must not be
     * {@code a} or {@code b}. Needs {@code k > 0}; {@code m} and {@code n} may be 0.
     */
    static void multiply(double[] a, boolean transposeA, double[] b, boolean transposeB, double[] c,
            int m, int n, int k) {
        multiply(a, transposeA, b, transposeB, c, m, n, k,
                GemmWorkers.partsFor(m, n, k), prefersTransposedOutput(m, n, k, transposeA));
    }

    /**
     * As {@link #multiply(double[], boolean, double[], boolean, double[], int, int, int)}, with the
     * choices made by the caller: at most {@code parts} threads, and whether {@code cᵀ} is computed.
     */
    static void multiply(double[] a, boolean transposeA, double[] b, boolean transposeB, double[] c,
            int m, int n, int k, int parts, boolean transposedOutput) {
        if (m == 0 || n == 0) {
            return;
        }
        DoubleGemm gemm = PER_THREAD.get();
        if (transposedOutput) {
            gemm.prepare(b, transposeB ? k : 1, transposeB ? 1 : n, n, m, k);
            gemm.pack(a, transposeA);
        } else {
            gemm.prepare(a, transposeA ? 1 : k, transposeA ? m : 1, m, n, k);
            gemm.pack(b, !transposeB);
        }
        gemm.out = c;
        gemm.outCols = n;
        gemm.transposedOut = transposedOutput;
        if (transposedOutput) { // two rows past the end: the last block of three may run over them
            gemm.outRows = grow(gemm.outRows, gemm.rows + 2, gemm.len);
        }
        try {
            GemmWorkers.run(gemm, gemm.rows, BLOCK, parts);
            if (transposedOutput) {
                gemm.storeTransposed();
            }
        } finally {
            gemm.scalars = null; // hold no caller's array between calls
            gemm.out = null;
        }
    }

    /**
     * Whether to compute {@code cᵀ} rather than {@code c}: when its rows ({@code m} long) are longer
     * than c's ({@code n}), {@code a} is stored transposed (so the columns of {@code op(a)} are rows of
     * {@code a}, packed by plain copies) and the depth is at least 32. Measured on the training step:
     * the longer rows run faster (C2 picks the vector width from the inner loop's profiled trip count:
     * 4 lanes for 50 iterations, 8 for 100, 16 for 784), but gathering the columns of an untransposed
     * {@code a} costs more than that gains, and with a small depth so does writing {@code cᵀ} back.
     */
    static boolean prefersTransposedOutput(int m, int n, int k, boolean transposeA) {
        return transposeA && m > n && k >= 32;
    }

    private void prepare(double[] s, int sRowStride, int sDepthStride, int rowCount, int rowLength, int k) {
        scalars = s;
        rowStride = sRowStride;
        depthStride = sDepthStride;
        rows = rowCount;
        len = rowLength;
        depth = k;
    }

    /**
     * Fills {@code packed[p][0, len)} for {@code p < depth} with row {@code p} of a {@code [depth, len]}
     * matrix stored as {@code src}: copied when {@code contiguous}, else gathered from its transpose
     * (stored {@code [len, depth]}) in strips of 16 rows, so the strip's rows stay in cache.
     */
    private void pack(double[] src, boolean contiguous) {
        packed = grow(packed, depth, len);
        if (contiguous) {
            for (int p = 0; p < depth; p++) {
                System.arraycopy(src, p * len, packed[p], 0, len);
            }
            return;
        }
        for (int p0 = 0; p0 < depth; p0 += 16) {
            int p1 = Math.min(depth, p0 + 16);
            for (int j = 0; j < len; j++) {
                int from = j * depth;
                for (int p = p0; p < p1; p++) {
                    packed[p][j] = src[from + p];
                }
            }
        }
    }

    /** {@code rowArrays} or a longer copy, with {@code count} rows of {@code length} or more. */
    private static double[][] grow(double[][] rowArrays, int count, int length) {
        double[][] grown = rowArrays.length >= count ? rowArrays : Arrays.copyOf(rowArrays, count);
        for (int r = 0; r < count; r++) {
            if (grown[r] == null || grown[r].length < length) {
                grown[r] = new double[length];
            }
        }
        return grown;
    }

    /**
     * Computes rows {@code [from, to)}: rows of {@code cᵀ} into {@code outRows} (written to c by
     * {@link #storeTransposed} once all are done: written here, threads would write columns of the
     * same cache lines of c), rows of c through this thread's panel into c. The kernel works in blocks
     * of three rows, so the last block may also fill one or two spare rows past {@code to}: their
     * scalars repeat the last real row's, and nothing reads them.
     */
    @Override
    public void computeRows(int from, int to) {
        if (transposedOut) {
            accumulate(outRows, 0, from, roundUp(from, to));
            return;
        }
        double[][] held = PANELS.get();
        double[][] panel = grow(held, PANEL + 2, len);
        if (panel != held) {
            PANELS.set(panel);
        }
        for (int first = from; first < to; first += PANEL) {
            int last = Math.min(to, first + PANEL);
            accumulate(panel, first, first, roundUp(first, last));
            for (int r = first; r < last; r++) {
                System.arraycopy(panel[r - first], 0, out, r * outCols, len);
            }
        }
    }

    /** Rows {@code [from, end)} of the product into {@code target[r - base]} (see the static form). */
    private void accumulate(double[][] target, int base, int from, int end) {
        accumulate(scalars, rowStride, depthStride, rows, packed, depth, len, target, base, from, end);
    }

    /** {@code to}, or the row after it that makes {@code [from, end)} a whole number of blocks. */
    private static int roundUp(int from, int to) {
        return from + (to - from + BLOCK - 1) / BLOCK * BLOCK;
    }

    /**
     * {@code out[r - base][0, len) = Σ_{p < k} s[min(r, rows - 1)·rs + p·ps] · packed[p][0, len)} for
     * {@code from <= r < end}, {@code end - from} a multiple of 3.
     *
     * <p>C2 17 vectorises the inner loop only in this exact shape, as measured with the disassembler:
     * the row loop tests {@code r + 2 < end} (with {@code r < end} it cannot prove the three row
     * look-ups in range, and the inner loop stays scalar), the output rows are looked up inside it
     * (rows fixed for the whole call also leave it scalar), and the update is written with
     * {@code Math.fma} (with {@code a * b + c} only some block shapes vectorise). It is kept in one
     * piece, longer than most methods here, so that what the compiler sees is what was measured.
     */
    private static void accumulate(double[] s, int rs, int ps, int rows, double[][] packed, int k, int len,
            double[][] out, int base, int from, int end) {
        for (int r = from; r + 2 < end; r += BLOCK) {
            double[] x0 = out[r - base];
            double[] x1 = out[r + 1 - base];
            double[] x2 = out[r + 2 - base];
            int o0 = r * rs;
            int o1 = Math.min(r + 1, rows - 1) * rs;
            int o2 = Math.min(r + 2, rows - 1) * rs;
            Arrays.fill(x0, 0, len, 0);
            Arrays.fill(x1, 0, len, 0);
            Arrays.fill(x2, 0, len, 0);
            int p = 0;
            for (; p + 2 < k; p += BLOCK) {
                int q0 = p * ps;
                int q1 = q0 + ps;
                int q2 = q1 + ps;
                double s00 = s[o0 + q0], s01 = s[o0 + q1], s02 = s[o0 + q2];
                double s10 = s[o1 + q0], s11 = s[o1 + q1], s12 = s[o1 + q2];
                double s20 = s[o2 + q0], s21 = s[o2 + q1], s22 = s[o2 + q2];
                double[] b0 = packed[p];
                double[] b1 = packed[p + 1];
                double[] b2 = packed[p + 2];
                for (int j = 0; j < len; j++) {
                    double v0 = b0[j];
                    double v1 = b1[j];
                    double v2 = b2[j];
                    x0[j] = Math.fma(s02, v2, Math.fma(s01, v1, Math.fma(s00, v0, x0[j])));
                    x1[j] = Math.fma(s12, v2, Math.fma(s11, v1, Math.fma(s10, v0, x1[j])));
                    x2[j] = Math.fma(s22, v2, Math.fma(s21, v1, Math.fma(s20, v0, x2[j])));
                }
            }
            for (; p < k; p++) { // the one or two depths left over
                double s0 = s[o0 + p * ps], s1 = s[o1 + p * ps], s2 = s[o2 + p * ps];
                double[] b = packed[p];
                for (int j = 0; j < len; j++) {
                    double v = b[j];
                    x0[j] = Math.fma(s0, v, x0[j]);
                    x1[j] = Math.fma(s1, v, x1[j]);
                    x2[j] = Math.fma(s2, v, x2[j]);
                }
            }
        }
    }

    /**
     * Writes {@code cᵀ} (in {@code outRows}) to {@code c}, in c's order: the rows read are few (c's
     * columns), so the cache lines read for one of c's rows serve the next ones too.
     */
    private void storeTransposed() {
        for (int i = 0; i < len; i++) {
            int at = i * outCols;
            for (int r = 0; r < rows; r++) {
                out[at + r] = outRows[r][i];
            }
        }
    }
}
