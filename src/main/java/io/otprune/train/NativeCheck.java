package io.otprune.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.Random;

/**
 * Checks once per process that the engine's CPU convolution computes what it should, against a plain Java loop.
 *
 * <p>Why: on an AMD EPYC of CPU family 26 (Zen 5) PyTorch 2.7.1's oneDNN convolutions with 20 input channels (lenet5's
 * conv2, and the odd channel counts pruning leaves) returned wrong values (errors of 15–45 where the outputs are
 * about 10) at every batch size, with one thread or two, and NaN now and then; 8, 16 and 32 input channels were
 * right. Limiting oneDNN to SSE4.1 kernels ({@code DNNL_MAX_CPU_ISA=SSE41} in the environment, read when the native
 * library loads) gave right results; AVX, AVX2 and AVX-512 did not (docs/benchmarks.md §12). A run on such a machine
 * would train and prune on garbage without a word, so the CLI and the window say so.
 */
public final class NativeCheck {
    /** What to set, in the message and the docs. */
    public static final String FIX = "DNNL_MAX_CPU_ISA=SSE41";
    private static volatile String result;

    private NativeCheck() {}

    /** Null when the CPU convolution is right, else what is wrong and what to set; computed once (about 10 ms). */
    public static synchronized String convolutionProblem() {
        if (result == null) {
            result = check();
        }
        return result.isEmpty() ? null : result;
    }

    private static String check() {
        int n = 2, c = 20, k = 50, h = 12, r = 5, o = h - r + 1;
        Random rnd = new Random(1);
        float[] x = new float[n * c * h * h], w = new float[k * c * r * r];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        float[] y;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray out = Conv2d.conv2d(m.create(x, new Shape(n, c, h, h)), m.create(w, new Shape(k, c, r, r)),
                    m.zeros(new Shape(k)), new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
            y = out.toFloatArray();
        }
        double worst = 0;
        for (int b = 0; b < n; b++) {
            for (int q = 0; q < k; q++) {
                for (int i = 0; i < o; i++) {
                    for (int j = 0; j < o; j++) {
                        double s = 0;
                        for (int p = 0; p < c; p++) {
                            for (int u = 0; u < r; u++) {
                                for (int v = 0; v < r; v++) {
                                    s += (double) x[((b * c + p) * h + i + u) * h + j + v] * w[((q * c + p) * r + u) * r + v];
                                }
                            }
                        }
                        float got = y[((b * k + q) * o + i) * o + j];
                        worst = Float.isFinite(got) ? Math.max(worst, Math.abs(s - got)) : Double.POSITIVE_INFINITY;
                    }
                }
            }
        }
        // outputs are sums of 500 products of unit normals (about 22 in size): float rounding stays below 1e-3
        return worst <= 1e-3 ? "" : String.format(java.util.Locale.ROOT, "this CPU's PyTorch convolutions compute wrong "
                + "values (largest error %.3g in a 20-channel 5x5 test; a oneDNN fault seen on AMD EPYC Zen 5): results "
                + "would be garbage; start otprune with %s in the environment (slower, but right)", worst, FIX);
    }
}
