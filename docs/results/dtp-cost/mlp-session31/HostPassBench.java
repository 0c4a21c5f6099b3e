import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Session 31: could HostScoreStep's gradient pass (read the mask and its gradient from the tensors' memory, form
 * g = dL/dm·m(1 − m)/ε and w = m(1 − m), sum w, g and m) be made cheaper on JDK 17 without the Vector API?
 * Variants over 266,200 floats (the mlp-300-100's weights), direct buffers standing in for the tensors' memory:
 *   shipped      two bulk copies, one elementwise loop (vectorised), three eight-lane sums (HostScoreStep's way)
 *   fused        two bulk copies, one loop that also sums (four lanes per sum)
 *   fused-direct the same loop reading the direct buffers element by element, no copies
 *   acc-arrays   shipped, with each sum as acc[k] += a[row + k] over 256 lanes (to let the JIT vectorise it)
 * and two ways to write σ's argument into the tensor's memory: an array loop and a bulk put (shipped), or put(i, v).
 * Run: javac HostPassBench.java && java -XX:+UseSerialGC HostPassBench
 */
public class HostPassBench {
    static final int N = 266_200;
    static final int LANES = 256;
    static final float[] m = new float[N], gm = new float[N], w = new float[N], g = new float[N];
    static final float[] s = new float[N], z = new float[N];
    static final float[] accW = new float[LANES], accG = new float[LANES], accM = new float[LANES];
    static FloatBuffer maskView, gradView, argView;
    static final double[] out = new double[3];

    static double sum8(float[] a) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        double t = 0;
        int i = 0;
        for (int b = 0; b < a.length; b += 4096) {
            int e = Math.min(a.length, b + 4096);
            for (; i + 8 <= e; i += 8) {
                s0 += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3];
                s4 += a[i + 4]; s5 += a[i + 5]; s6 += a[i + 6]; s7 += a[i + 7];
            }
            t += (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
            s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0;
        }
        for (; i < a.length; i++) {
            t += a[i];
        }
        return t;
    }

    static double sumLanes(float[] a, float[] acc) {
        java.util.Arrays.fill(acc, 0f);
        int rows = a.length / LANES;
        for (int r = 0; r < rows; r++) {
            int base = r * LANES;
            for (int k = 0; k < LANES; k++) {
                acc[k] += a[base + k];
            }
        }
        double t = 0;
        for (float v : acc) {
            t += v;
        }
        for (int i = rows * LANES; i < a.length; i++) {
            t += a[i];
        }
        return t;
    }

    static void elementwise(float invEps) {
        for (int i = 0; i < N; i++) {
            float mi = m[i];
            float wi = mi * (1f - mi);
            g[i] = gm[i] * wi * invEps;
            w[i] = wi;
        }
    }

    static void shipped(float invEps) {
        maskView.get(0, m);
        gradView.get(0, gm);
        elementwise(invEps);
        out[0] = sum8(w);
        out[1] = sum8(g);
        out[2] = sum8(m);
    }

    static void accArrays(float invEps) {
        maskView.get(0, m);
        gradView.get(0, gm);
        elementwise(invEps);
        out[0] = sumLanes(w, accW);
        out[1] = sumLanes(g, accG);
        out[2] = sumLanes(m, accM);
    }

    // fused and fusedDirect repeat one loop body on purpose: as one method with a flag choosing the source, the JIT
    // compiled both variants worse in some runs, so each gets its own method and its own compilation
    static void fused(float invEps) {
        maskView.get(0, m);
        gradView.get(0, gm);
        double tw = 0, tg = 0, tm = 0;
        int i = 0;
        for (int b = 0; b < N; b += 4096) {
            int e = Math.min(N, b + 4096);
            float w0 = 0, w1 = 0, w2 = 0, w3 = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
            for (; i + 4 <= e; i += 4) {
                float a0 = m[i], a1 = m[i + 1], a2 = m[i + 2], a3 = m[i + 3];
                float d0 = gm[i], d1 = gm[i + 1], d2 = gm[i + 2], d3 = gm[i + 3];
                float x0 = a0 * (1f - a0), x1 = a1 * (1f - a1), x2 = a2 * (1f - a2), x3 = a3 * (1f - a3);
                float y0 = d0 * x0 * invEps, y1 = d1 * x1 * invEps, y2 = d2 * x2 * invEps, y3 = d3 * x3 * invEps;
                g[i] = y0; g[i + 1] = y1; g[i + 2] = y2; g[i + 3] = y3;
                w[i] = x0; w[i + 1] = x1; w[i + 2] = x2; w[i + 3] = x3;
                w0 += x0; w1 += x1; w2 += x2; w3 += x3;
                g0 += y0; g1 += y1; g2 += y2; g3 += y3;
                m0 += a0; m1 += a1; m2 += a2; m3 += a3;
            }
            tw += (double) w0 + w1 + w2 + w3;
            tg += (double) g0 + g1 + g2 + g3;
            tm += (double) m0 + m1 + m2 + m3;
        }
        out[0] = tw;
        out[1] = tg;
        out[2] = tm;
    }

    static void fusedDirect(float invEps) {
        double tw = 0, tg = 0, tm = 0;
        int i = 0;
        for (int b = 0; b < N; b += 4096) {
            int e = Math.min(N, b + 4096);
            float w0 = 0, w1 = 0, w2 = 0, w3 = 0, g0 = 0, g1 = 0, g2 = 0, g3 = 0, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
            for (; i + 4 <= e; i += 4) {
                float a0 = maskView.get(i), a1 = maskView.get(i + 1), a2 = maskView.get(i + 2), a3 = maskView.get(i + 3);
                float d0 = gradView.get(i), d1 = gradView.get(i + 1), d2 = gradView.get(i + 2), d3 = gradView.get(i + 3);
                float x0 = a0 * (1f - a0), x1 = a1 * (1f - a1), x2 = a2 * (1f - a2), x3 = a3 * (1f - a3);
                float y0 = d0 * x0 * invEps, y1 = d1 * x1 * invEps, y2 = d2 * x2 * invEps, y3 = d3 * x3 * invEps;
                g[i] = y0; g[i + 1] = y1; g[i + 2] = y2; g[i + 3] = y3;
                w[i] = x0; w[i + 1] = x1; w[i + 2] = x2; w[i + 3] = x3;
                w0 += x0; w1 += x1; w2 += x2; w3 += x3;
                g0 += y0; g1 += y1; g2 += y2; g3 += y3;
                m0 += a0; m1 += a1; m2 += a2; m3 += a3;
            }
            tw += (double) w0 + w1 + w2 + w3;
            tg += (double) g0 + g1 + g2 + g3;
            tm += (double) m0 + m1 + m2 + m3;
        }
        out[0] = tw;
        out[1] = tg;
        out[2] = tm;
    }

    static void argumentShipped(float tau, float invEps) {
        for (int i = 0; i < N; i++) {
            z[i] = (s[i] - tau) * invEps;
        }
        argView.put(0, z);
    }

    static void argumentDirect(float tau, float invEps) {
        for (int i = 0; i < N; i++) {
            argView.put(i, (s[i] - tau) * invEps);
        }
    }

    static FloatBuffer direct() {
        return ByteBuffer.allocateDirect(N * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    public static void main(String[] args) {
        maskView = direct();
        gradView = direct();
        argView = direct();
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < N; i++) {
            maskView.put(i, r.nextFloat());
            gradView.put(i, (float) r.nextGaussian() * 1e-3f);
            s[i] = r.nextFloat();
        }
        String[] names = {"shipped", "fused", "fused-direct", "acc-arrays", "argument shipped", "argument put(i)"};
        int reps = 500;
        for (int round = 1; round <= 6; round++) {
            StringBuilder line = new StringBuilder("round " + round + ":");
            for (int v = 0; v < names.length; v++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < reps; k++) {
                    switch (v) {
                        case 0 -> shipped(2f);
                        case 1 -> fused(2f);
                        case 2 -> fusedDirect(2f);
                        case 3 -> accArrays(2f);
                        case 4 -> argumentShipped(0.5f, 2f);
                        default -> argumentDirect(0.5f, 2f);
                    }
                }
                long t1 = System.nanoTime();
                line.append(String.format("  %s %.0f µs", names[v], (t1 - t0) / (reps * 1e3)));
                if (v < 4 && round == 6) {
                    line.append(String.format(" (Σw %.3f Σg %.6f Σm %.3f)", out[0], out[1], out[2]));
                }
            }
            System.out.println(line);
        }
    }
}
