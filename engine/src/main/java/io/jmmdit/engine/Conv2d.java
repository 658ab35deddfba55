package io.jmmdit.engine;

import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D convolution over NCHW inputs with OIHW weights (PyTorch nn.Conv2d, dilation 1, groups 1).
 *
 * <p>Computed as im2col + one BLAS gemm per band of output rows: the column matrix is built with bulk copies (ND4J's
 * own conv2d spent ~90 % of its time in a scalar im2col, and materialised the whole column matrix — 4.8 GB for a
 * 128-channel 1024×1024 VAE layer). Bands keep the column matrix under {@link #MAX_COLUMN_ELEMENTS} floats.
 */
public final class Conv2d {

    /** Upper bound on the im2col band (floats): 16 M = 64 MB. */
    static final long MAX_COLUMN_ELEMENTS = 1L << 24;

    private Conv2d() {
    }

    /**
     * @param x       [N, Cin, H, W]
     * @param weight  [Cout, Cin, kH, kW]
     * @param bias    [Cout] or null
     * @param stride  stride in both directions
     * @param padding zero padding on every side
     */
    public static Tensor forward(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return forward(x, weight, bias, stride, padding, MAX_COLUMN_ELEMENTS);
    }

    /** As {@link #forward(Tensor, Tensor, Tensor, int, int)} with an explicit im2col band bound (tests). */
    static Tensor forward(Tensor x, Tensor weight, Tensor bias, int stride, int padding, long maxColumnElements) {
        if (x.rank() != 4 || weight.rank() != 4 || x.size(1) != weight.size(1)) {
            throw new IllegalArgumentException("conv2d: input " + x.shapeString() + " does not match weight " + weight.shapeString());
        }
        if (stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv2d: stride " + stride + ", padding " + padding);
        }
        int n = Math.toIntExact(x.size(0));
        int cin = Math.toIntExact(x.size(1));
        int h = Math.toIntExact(x.size(2));
        int w = Math.toIntExact(x.size(3));
        int cout = Math.toIntExact(weight.size(0));
        int kh = Math.toIntExact(weight.size(2));
        int kw = Math.toIntExact(weight.size(3));
        int oh = (h + 2 * padding - kh) / stride + 1;
        int ow = (w + 2 * padding - kw) / stride + 1;
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException("conv2d: input " + x.shapeString() + " too small for kernel " + weight.shapeString());
        }
        if (bias != null && bias.length() != cout) {
            throw new IllegalArgumentException("conv2d: bias " + bias.shapeString() + " for " + cout + " output channels");
        }
        int k = cin * kh * kw;
        long plane = (long) oh * ow;
        INDArray xin = dense(x.a);
        INDArray wd = dense(weight.a);
        INDArray bd = bias == null ? null : dense(bias.a);
        INDArray wm = wd.reshape('c', cout, k);
        INDArray b = bd == null ? null : bd.reshape('c', cout, 1);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n, cout, oh, ow);
        FloatBuffer xb = xin.data().asNioFloat();
        FloatBuffer ob = out.data().asNioFloat();
        if (maxColumnElements < 1) {
            throw new IllegalArgumentException("band bound " + maxColumnElements);
        }
        int bandRows = (int) Math.max(1, Math.min(oh, maxColumnElements / ((long) k * ow)));
        INDArray scratch = scratch((long) k * bandRows * ow);
        try {
            for (int s = 0; s < n; s++) {
                int xoff = Math.toIntExact((long) s * cin * h * w);
                long ooff = (long) s * cout * plane;
                for (int y0 = 0; y0 < oh; y0 += bandRows) {
                    int rows = Math.min(bandRows, oh - y0);
                    int len = rows * ow;
                    im2col(xb, xoff, cin, h, w, kh, kw, stride, padding, ow, y0, rows, scratch.data().asNioFloat());
                    INDArray c = Nd4j.create(scratch.data(), new long[] {k, len}, new long[] {len, 1}, 0, 'c', DataType.FLOAT);
                    if (n == 1 && len == plane) {
                        // the whole output in one gemm, written in place
                        INDArray o2 = out.reshape('c', cout, plane);
                        Nd4j.gemm(wm, c, o2, false, false, 1.0, 0.0);
                        if (b != null) {
                            o2.addiColumnVector(b);
                        }
                        continue;
                    }
                    INDArray r = Nd4j.gemm(wm, c, false, false);
                    if (b != null) {
                        r.addiColumnVector(b);
                    }
                    FloatBuffer rb = r.data().asNioFloat();
                    if (len == plane) {
                        ob.put(Math.toIntExact(ooff), rb, 0, Math.toIntExact(cout * plane));
                    } else {
                        for (int co = 0; co < cout; co++) {
                            ob.put(Math.toIntExact(ooff + co * plane + (long) y0 * ow), rb, co * len, len);
                        }
                    }
                    r.close();
                }
            }
        } finally {
            closeCopy(xin, x.a);
            closeCopy(wd, weight.a);
            if (bias != null) {
                closeCopy(bd, bias.a);
            }
        }
        return new Tensor(out);
    }

    /**
     * Fills cols[(ci·kh + ky)·kw + kx][(y − y0)·ow + ox] = x[ci][y·s + ky − p][ox·s + kx − p] (0 outside) for output
     * rows y0 … y0+rows−1, packed with row length rows·ow.
     */
    private static void im2col(FloatBuffer x, int xoff, int cin, int h, int w, int kh, int kw, int stride, int pad, int ow,
                               int y0, int rows, FloatBuffer cols) {
        int len = rows * ow;
        float[] line = new float[ow];
        float[] src = new float[w];
        int row = 0;
        for (int ci = 0; ci < cin; ci++) {
            int cbase = xoff + ci * h * w;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, row++) {
                    int rbase = row * len;
                    // output columns ox whose input column ix = ox·s + kx − p lies inside [0, w)
                    int oxLo = Math.max(0, ceilDiv(pad - kx, stride));
                    int oxHi = Math.min(ow, ceilDiv(w + pad - kx, stride)); // exclusive
                    for (int r = 0; r < rows; r++) {
                        int iy = (y0 + r) * stride + ky - pad;
                        int dst = rbase + r * ow;
                        if (iy < 0 || iy >= h || oxHi <= oxLo) {
                            java.util.Arrays.fill(line, 0f);
                            cols.put(dst, line, 0, ow);
                            continue;
                        }
                        int sbase = cbase + iy * w;
                        if (stride == 1) {
                            if (oxLo > 0 || oxHi < ow) {
                                java.util.Arrays.fill(line, 0f);
                                cols.put(dst, line, 0, ow);
                            }
                            cols.put(dst + oxLo, x, sbase + oxLo + kx - pad, oxHi - oxLo);
                        } else {
                            x.get(sbase, src, 0, w);
                            java.util.Arrays.fill(line, 0f);
                            for (int ox = oxLo, ix = oxLo * stride + kx - pad; ox < oxHi; ox++, ix += stride) {
                                line[ox] = src[ix];
                            }
                            cols.put(dst, line, 0, ow);
                        }
                    }
                }
            }
        }
    }

    /** x as a dense c-order array starting at its buffer's first element (what the NIO views below assume). */
    private static INDArray dense(INDArray x) {
        INDArray c = Tensor.contiguous(x);
        return c.offset() == 0 && c.data().length() == c.length() ? c : c.dup('c');
    }

    /**
     * A per-thread im2col buffer of at least {@code elements} floats, reused across calls: fresh native allocations
     * are expensive (ND4J touches every page; ≈ 90 ms for 32 MB on the shared VMs), and the column matrix is the
     * largest temporary of a convolution. Holds about {@link #MAX_COLUMN_ELEMENTS} floats per thread (more only when one output row needs more).
     */
    private static INDArray scratch(long elements) {
        INDArray s = SCRATCH.get();
        if (s == null || s.length() < elements) {
            if (s != null) {
                s.close();
            }
            s = Nd4j.createUninitialized(DataType.FLOAT, elements);
            SCRATCH.set(s);
        }
        return s;
    }

    private static final ThreadLocal<INDArray> SCRATCH = new ThreadLocal<>();

    private static void closeCopy(INDArray maybeCopy, INDArray original) {
        if (maybeCopy != original) {
            maybeCopy.close();
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
