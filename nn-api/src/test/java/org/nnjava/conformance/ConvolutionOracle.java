package org.nnjava.conformance;

/**
 * Expected values for chapter 7 (im2col, col2im, convolution, max pooling, axis permutation) as direct
 * nested loops over row-major {@code double[]}, with the padding test written inline: the convolution
 * and pooling oracles never go through im2col, so a wrong im2col cannot hide a wrong layer.
 *
 * <p>A geometry is {@code [N, C, H, W]} with a {@code fh × fw} window, a stride and a pad;
 * {@code OH = (H + 2·pad − fh) / stride + 1} rounded down (NumPy's {@code //}, as the book).
 */
final class ConvolutionOracle {

    private ConvolutionOracle() {
    }

    /** One convolution or pooling geometry; {@code toString} names it in test reports. */
    record Geometry(int n, int c, int h, int w, int fh, int fw, int stride, int pad) {

        int oh() {
            return Math.floorDiv(h + 2 * pad - fh, stride) + 1;
        }

        int ow() {
            return Math.floorDiv(w + 2 * pad - fw, stride) + 1;
        }

        int[] input() {
            return new int[] {n, c, h, w};
        }

        int inputSize() {
            return n * c * h * w;
        }

        /** {@code x[n, c, y, x]}, or {@code outside} where {@code (y, x)} is in the padding. */
        double at(double[] x, int img, int ch, int y, int col, double outside) {
            return y < 0 || y >= h || col < 0 || col >= w ? outside : x[((img * c + ch) * h + y) * w + col];
        }

        @Override
        public String toString() {
            return "[" + n + ", " + c + ", " + h + ", " + w + "] " + fh + "x" + fw + " stride " + stride + " pad " + pad;
        }
    }

    /** The book's im2col by its definition: row {@code (n, oh, ow)}, column {@code (c, i, j)}. */
    static double[] im2col(double[] x, Geometry g) {
        int rows = g.n * g.oh() * g.ow();
        int cols = g.c * g.fh * g.fw;
        double[] col = new double[rows * cols];
        for (int img = 0; img < g.n; img++) {
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    int row = (img * g.oh() + oy) * g.ow() + ox;
                    for (int ch = 0; ch < g.c; ch++) {
                        for (int i = 0; i < g.fh; i++) {
                            for (int j = 0; j < g.fw; j++) {
                                int column = (ch * g.fh + i) * g.fw + j;
                                col[row * cols + column] = g.at(x, img, ch, oy * g.stride + i - g.pad,
                                        ox * g.stride + j - g.pad, 0);
                            }
                        }
                    }
                }
            }
        }
        return col;
    }

    /** The book's col2im: every column element added to the cell it came from, the padding dropped. */
    static double[] col2im(double[] col, Geometry g) {
        double[] x = new double[g.inputSize()];
        int cols = g.c * g.fh * g.fw;
        for (int img = 0; img < g.n; img++) {
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    int row = (img * g.oh() + oy) * g.ow() + ox;
                    for (int ch = 0; ch < g.c; ch++) {
                        for (int i = 0; i < g.fh; i++) {
                            for (int j = 0; j < g.fw; j++) {
                                int y = oy * g.stride + i - g.pad;
                                int xx = ox * g.stride + j - g.pad;
                                if (y >= 0 && y < g.h && xx >= 0 && xx < g.w) {
                                    x[((img * g.c + ch) * g.h + y) * g.w + xx] += col[row * cols + (ch * g.fh + i) * g.fw + j];
                                }
                            }
                        }
                    }
                }
            }
        }
        return x;
    }

    /**
     * The direct convolution (cross-correlation, as the book): {@code out[n, f, oy, ox] = b[f] +
     * Σ_c Σ_i Σ_j W[f, c, i, j] · x[n, c, oy·s + i − pad, ox·s + j − pad]}, padding cells 0.
     */
    static double[] convolution(double[] x, double[] w, double[] b, int filters, Geometry g) {
        double[] out = new double[g.n * filters * g.oh() * g.ow()];
        int k = 0;
        for (int img = 0; img < g.n; img++) {
            for (int f = 0; f < filters; f++) {
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        double s = b[f];
                        for (int ch = 0; ch < g.c; ch++) {
                            for (int i = 0; i < g.fh; i++) {
                                for (int j = 0; j < g.fw; j++) {
                                    s += w[((f * g.c + ch) * g.fh + i) * g.fw + j]
                                            * g.at(x, img, ch, oy * g.stride + i - g.pad, ox * g.stride + j - g.pad, 0);
                                }
                            }
                        }
                        out[k++] = s;
                    }
                }
            }
        }
        return out;
    }

    /** The gradients of {@link #convolution}: {@code dx}, {@code dW} and {@code db} for {@code dout [N, FN, OH, OW]}. */
    static double[][] convolutionBackward(double[] x, double[] w, double[] dout, int filters, Geometry g) {
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        double[] db = new double[filters];
        for (int img = 0; img < g.n; img++) {
            for (int f = 0; f < filters; f++) {
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        double d = dout[((img * filters + f) * g.oh() + oy) * g.ow() + ox];
                        db[f] += d;
                        for (int ch = 0; ch < g.c; ch++) {
                            for (int i = 0; i < g.fh; i++) {
                                for (int j = 0; j < g.fw; j++) {
                                    int y = oy * g.stride + i - g.pad;
                                    int xx = ox * g.stride + j - g.pad;
                                    if (y < 0 || y >= g.h || xx < 0 || xx >= g.w) {
                                        continue;
                                    }
                                    int xi = ((img * g.c + ch) * g.h + y) * g.w + xx;
                                    int wi = ((f * g.c + ch) * g.fh + i) * g.fw + j;
                                    dw[wi] += d * x[xi];
                                    dx[xi] += d * w[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, dw, db};
    }

    /**
     * Max pooling, window by window over the real cells only (padding never wins); also the flat input
     * index of each window's first maximum in (i, j) order, or -1 for a window with no real cell.
     */
    static double[][] maxPool(double[] x, Geometry g) {
        int outputs = g.n * g.c * g.oh() * g.ow();
        double[] out = new double[outputs];
        double[] where = new double[outputs];
        int k = 0;
        for (int img = 0; img < g.n; img++) {
            for (int ch = 0; ch < g.c; ch++) {
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++, k++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int i = 0; i < g.fh; i++) {
                            for (int j = 0; j < g.fw; j++) {
                                int y = oy * g.stride + i - g.pad;
                                int xx = ox * g.stride + j - g.pad;
                                if (y < 0 || y >= g.h || xx < 0 || xx >= g.w) {
                                    continue;
                                }
                                int xi = ((img * g.c + ch) * g.h + y) * g.w + xx;
                                if (at < 0 || x[xi] > best) { // strictly greater: the first maximum stays
                                    best = x[xi];
                                    at = xi;
                                }
                            }
                        }
                        out[k] = best;
                        where[k] = at;
                    }
                }
            }
        }
        return new double[][] {out, where};
    }

    /** The gradient of max pooling: each {@code dout} element added at its window's first maximum. */
    static double[] maxPoolBackward(double[] x, double[] dout, Geometry g) {
        double[] where = maxPool(x, g)[1];
        double[] dx = new double[x.length];
        for (int k = 0; k < dout.length; k++) {
            if (where[k] >= 0) {
                dx[(int) where[k]] += dout[k];
            }
        }
        return dx;
    }

    /** {@code x} of shape {@code dims} with its axes reordered: result axis {@code k} is axis {@code axes[k]}. */
    static double[] permute(double[] x, int[] dims, int[] axes) {
        int rank = dims.length;
        int[] outDims = new int[rank];
        for (int k = 0; k < rank; k++) {
            outDims[k] = dims[axes[k]];
        }
        double[] out = new double[x.length];
        int[] index = new int[rank];
        int[] source = new int[rank];
        for (int flat = 0; flat < out.length; flat++) {
            int rest = flat;
            for (int k = rank - 1; k >= 0; k--) { // unravel the result index
                index[k] = rest % outDims[k];
                rest /= outDims[k];
            }
            for (int k = 0; k < rank; k++) {
                source[axes[k]] = index[k];
            }
            int from = 0;
            for (int a = 0; a < rank; a++) {
                from = from * dims[a] + source[a];
            }
            out[flat] = x[from];
        }
        return out;
    }

    /** {@code Σ a_i b_i}. */
    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** {@code n} distinct values {@code 0.1·k − 0.05·n} in a shuffled order: no ties, gaps of 0.1 (pooling's gradient check). */
    static double[] distinct(long seed, int n) {
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = 0.1 * k - 0.05 * n;
        }
        java.util.Random random = new java.util.Random(seed);
        for (int k = n - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            double t = v[k];
            v[k] = v[j];
            v[j] = t;
        }
        return v;
    }
}
