import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.Random;

/**
 * Which convolution shapes this machine's PyTorch computes right: forward (F), input gradient (X) and weight gradient
 * (W) of a 3x3 convolution, batch 2, 8x8 maps, against loops in doubles, for a grid of input (rows) and output
 * (columns) channel counts; "." is right (relative error below 1e-4). Run from the repository root after a build:
 *
 *   java -cp "target/otprune.jar:target/lib/*" docs/results/conv-guard/ConvScan.java
 *
 * (Engine calls only, no otprune code: with DNNL_MAX_CPU_ISA unset it shows oneDNN's own kernels.)
 */
public class ConvScan {
    public static void main(String[] a) {
        int[] counts = {1, 4, 8, 12, 16, 17, 20, 24, 32, 33, 40, 48, 64, 80, 128};
        StringBuilder head = new StringBuilder("cin\\cout");
        for (int k : counts) {
            head.append(String.format(" %4d", k));
        }
        System.out.println(head);
        for (int c : counts) {
            StringBuilder row = new StringBuilder(String.format("%8d", c));
            for (int k : counts) {
                double[] e = check(2, c, k, 8, 3, 1, 1);
                row.append(' ').append(e[0] > 1e-4 ? 'F' : '.').append(e[1] > 1e-4 ? 'X' : '.')
                        .append(e[2] > 1e-4 ? 'W' : '.').append(' ');
            }
            System.out.println(row);
        }
    }

    static double[] check(int n, int c, int k, int h, int r, int st, int pad) {
        int o = (h + 2 * pad - r) / st + 1;
        Random rnd = new Random(c * 1000 + k);
        float[] x = gauss(rnd, n * c * h * h), w = gauss(rnd, k * c * r * r), g = gauss(rnd, n * k * o * o);
        float[] y, dx, dw;
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray X = m.create(x, new Shape(n, c, h, h)), W = m.create(w, new Shape(k, c, r, r));
            X.setRequiresGradient(true); W.setRequiresGradient(true);
            NDArray Y = Conv2d.conv2d(X, W, m.zeros(new Shape(k)), new Shape(st, st), new Shape(pad, pad),
                    new Shape(1, 1), 1).singletonOrThrow();
            gc.backward(Y.mul(m.create(g, Y.getShape())).sum());
            y = Y.toFloatArray(); dx = X.getGradient().toFloatArray(); dw = W.getGradient().toFloatArray();
        }
        double[] ry = new double[y.length], rdx = new double[dx.length], rdw = new double[dw.length];
        for (int b = 0; b < n; b++) for (int q = 0; q < k; q++) for (int i = 0; i < o; i++) for (int j = 0; j < o; j++) {
            int yi = ((b * k + q) * o + i) * o + j;
            for (int p = 0; p < c; p++) for (int u = 0; u < r; u++) for (int v = 0; v < r; v++) {
                int ii = i * st + u - pad, jj = j * st + v - pad;
                if (ii < 0 || jj < 0 || ii >= h || jj >= h) continue;
                int xi = ((b * c + p) * h + ii) * h + jj, wi = ((q * c + p) * r + u) * r + v;
                ry[yi] += (double) x[xi] * w[wi];
                rdx[xi] += (double) g[yi] * w[wi];
                rdw[wi] += (double) g[yi] * x[xi];
            }
        }
        return new double[] {rel(y, ry), rel(dx, rdx), rel(dw, rdw)};
    }
    static double rel(float[] got, double[] want) {
        double worst = 0, scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < got.length; i++) worst = Float.isFinite(got[i]) ? Math.max(worst, Math.abs(got[i] - want[i])) : Double.POSITIVE_INFINITY;
        return worst / scale;
    }
    static float[] gauss(Random r, int len) { float[] f = new float[len]; for (int i = 0; i < len; i++) f[i] = (float) r.nextGaussian(); return f; }
}
