package io.otprune.prune;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.otprune.train.ResumableOptimizer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * DTP's per-step score work on the host, for score sets large enough that it is memory-bound: the weights of a
 * network trained on the CPU. What {@link DtpEngine}'s tensor path does with a dozen native passes over each
 * score-sized array (the soft mask's argument, its backward pass through σ and 1/ε, τ's implicit gradient, the
 * scores' Adam update, the sums the Sinkhorn step and the statistics read) is done here in a few loops over host
 * copies of the masks and their gradients, each read once from the tensor's own memory; the JIT vectorises the
 * elementwise loops (not the sums: it keeps float additions in order). On the mlp-300-100 (266,200 scores) the tensor path spent about 2 ms a
 * step on this, as much as the network's own three matrix products (docs/benchmarks.md §12).
 *
 * <p>The arithmetic is the tensor path's, rounded in another order: m = σ((s + boost − τ)/ε) is still computed by
 * libtorch (a vectorised exp the JIT does not give), from an argument formed here, and it is a leaf of the graph,
 * so the backward pass stops at dL/dm and dL/ds = dL/dm · m(1 − m)/ε is formed here.
 */
final class HostScoreStep {
    /**
     * Below this many units the tensor path's passes take microseconds (channels, blocks: at most a few thousand
     * units, next to steps of hundreds of milliseconds), and the channel and block results in docs/benchmarks.md
     * were measured on it; the weights of even the smallest zoo network (lenet5: 61,000) are above it.
     */
    static final int MIN_UNITS = 10_000;

    private final List<UnitSet> sets;
    private final List<Problem> problems;
    private final float[][] scores;
    private final float[][] costs; // per set; null where the set's units cost the same
    private final float[] uniformCost;
    private final NDArray[] argument; // per set (s + boost − τ)/ε, written from the host: σ's input
    private final FloatBuffer[] argumentViews;
    private final float[][] argumentHost;
    private FloatBuffer[] views;
    // per set, this step's: mask, its gradient, the slope c·m(1 − m), and the scores' gradient (then their step)
    private final float[][] mask;
    private final float[][] maskGrad;
    private final float[][] slope;
    private final float[][] scoreGrad;

    private final double[][] sums; // this step's, as {@link #sums} returns them
    private final double[] slopeWeighted; // Σ c·m(1 − m)·s after the update, per set

    /** Whether the host path suits these sets in {@code manager}'s device: the CPU, and many units. */
    static boolean suits(NDManager manager, List<UnitSet> sets) {
        long units = 0;
        for (UnitSet u : sets) {
            units += u.size();
        }
        return Device.Type.CPU.equals(manager.getDevice().getDeviceType()) && units >= MIN_UNITS;
    }

    /** {@code scores}: the engine's score tensors (contiguous, on the CPU), read here and kept in step. */
    HostScoreStep(List<UnitSet> sets, List<Problem> problems, NDArray[] scores, NDArray[] costs,
            double[] uniformCost, NDManager manager) {
        this.sets = sets;
        this.problems = problems;
        int n = sets.size();
        this.scores = new float[n][];
        this.costs = new float[n][];
        this.uniformCost = new float[n];
        this.argument = new NDArray[n];
        this.argumentViews = new FloatBuffer[n];
        this.argumentHost = new float[n][];
        this.sums = new double[5][n];
        this.slopeWeighted = new double[n];
        this.mask = new float[n][];
        this.maskGrad = new float[n][];
        this.slope = new float[n][];
        this.scoreGrad = new float[n][];
        for (int j = 0; j < n; j++) {
            int size = sets.get(j).size();
            mask[j] = new float[size];
            maskGrad[j] = new float[size];
            slope[j] = new float[size];
            scoreGrad[j] = new float[size];
            this.costs[j] = costs[j] == null ? null : costs[j].toFloatArray();
            this.uniformCost[j] = (float) uniformCost[j];
            argument[j] = manager.zeros(sets.get(j).shape());
            argumentViews[j] = view(argument[j]);
            argumentHost[j] = new float[sets.get(j).size()];
        }
        reload(scores);
    }

    /** Takes the scores from the tensors again (after a checkpoint replaced them). */
    void reload(NDArray[] tensors) {
        views = new FloatBuffer[tensors.length];
        for (int j = 0; j < tensors.length; j++) {
            scores[j] = tensors[j].toFloatArray();
            views[j] = view(tensors[j]);
        }
    }

    /** The tensor's own memory (a contiguous CPU tensor; valid while it lives). */
    private static FloatBuffer view(NDArray a) {
        return a.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Set j's soft mask σ((s + boost − τ)·invEps) in {@code step}, with no gradient of its own: the argument is
     * formed here (one vectorised pass and one copy, where the tensor path makes three fresh arrays).
     */
    NDArray mask(NDManager step, int j, double tau, float invEps, float[] boost) {
        float[] s = scores[j], z = argumentHost[j];
        float t = (float) tau;
        if (boost == null) {
            for (int i = 0; i < s.length; i++) {
                z[i] = (s[i] - t) * invEps;
            }
        } else {
            for (int i = 0; i < s.length; i++) {
                z[i] = (s[i] + boost[i] - t) * invEps;
            }
        }
        argumentViews[j].put(0, z);
        NDArray m = ai.djl.nn.Activation.sigmoid(argument[j]);
        m.attach(step); // σ's result belongs to its operand's manager, the engine's (engine trap 2)
        return m;
    }

    /**
     * Reads this step's masks and their gradients (after the backward pass) and forms the scores' gradients,
     * dL/dm · w/ε with w = m(1 − m), less τ's dependence on the scores when {@code implicit} (the tensor path's {@code addImplicitTau}: g_i − (Σ_k g_k)·c_i·w_i / Σ c·w), and
     * per set Σ c·m and, with {@code stats}, the counts and sums {@link #sums} returns. Returns per problem Σ c·w,
     * the budget's slope.
     */
    double[] gradients(NDArray[] masks, float invEps, boolean implicit, boolean stats, float[][] boost) {
        double[] slopeTotal = new double[problems.size()];
        double[] gradTotal = new double[problems.size()];
        for (double[] row : sums) {
            java.util.Arrays.fill(row, 0);
        }
        for (int q = 0; q < problems.size(); q++) {
            for (int j : problems.get(q).sets()) {
                try (NDArray maskGradient = masks[j].getGradient()) {
                    view(masks[j]).get(0, mask[j]);
                    view(maskGradient).get(0, maskGrad[j]);
                }
                float[] m = mask[j], gm = maskGrad[j], w = slope[j], g = scoreGrad[j], c = costs[j];
                int n = m.length;
                for (int i = 0; i < n; i++) {
                    float mi = m[i];
                    float wi = mi * (1f - mi);
                    g[i] = gm[i] * wi * invEps;
                    w[i] = wi;
                }
                if (c != null) {
                    for (int i = 0; i < n; i++) {
                        w[i] *= c[i];
                    }
                } else if (uniformCost[j] != 1f) {
                    float uc = uniformCost[j];
                    for (int i = 0; i < n; i++) {
                        w[i] *= uc;
                    }
                }
                sums[3][j] = sum(w);
                slopeTotal[q] += sums[3][j];
                gradTotal[q] += sum(g);
                sums[0][j] = c == null ? sum(m) * uniformCost[j] : dot(m, c);
                if (stats) {
                    int sharp = 0, kept = 0;
                    for (float v : m) {
                        sharp += v < 0.01f || v > 0.99f ? 1 : 0;
                        kept += v > 0.5f ? 1 : 0;
                    }
                    sums[1][j] = sharp;
                    sums[2][j] = kept;
                    sums[4][j] = boost[j] == null ? 0 : dot(w, boost[j]);
                }
            }
        }
        for (int q = 0; q < problems.size() && implicit; q++) {
            // every mask hard (w = 0 everywhere): τ is not a function of the scores any more, nothing to take out
            float shift = (float) (gradTotal[q] / (slopeTotal[q] + 1e-30));
            for (int j : problems.get(q).sets()) {
                float[] g = scoreGrad[j], w = slope[j];
                for (int i = 0; i < g.length; i++) {
                    g[i] -= w[i] * shift;
                }
            }
        }
        return slopeTotal;
    }

    /** Set j's gradient as {@link #gradients} formed it (a copy; for tests comparing the two paths). */
    float[] gradient(int j) {
        return scoreGrad[j].clone();
    }

    /**
     * The scores' optimizer step from {@link #gradients}, written back to the score tensors. Returns per problem
     * Σ c·w·Δs, what τ's predictor for the step reads; with {@code stats} keeps Σ c·w·s for {@link #sums}.
     */
    double[] update(ResumableOptimizer optimizer, String[] ids, boolean stats) {
        double[] moved = new double[problems.size()];
        for (int q = 0; q < problems.size(); q++) {
            for (int j : problems.get(q).sets()) {
                float[] s = scores[j], g = scoreGrad[j];
                optimizer.hostStep(ids[j], sets.get(j).shape(), () -> dot(g, g) / g.length)
                        .apply(s, g, 0, s.length); // g now holds Δs
                moved[q] += dot(slope[j], g);
                slopeWeighted[j] = stats ? dot(slope[j], s) : Double.NaN;
                views[j].put(0, s);
            }
        }
        return moved;
    }

    /**
     * What the tensor path's {@code reduce} returns: per set [0] Σ c·m of this step's masks, and at statistics
     * steps [1] the sharp units (m &lt; 0.01 or m &gt; 0.99), [2] those with m &gt; 0.5, [3] Σ c·w and
     * [4] Σ c·w·(s + boost − τ), with the updated scores and the τ of {@code tauOfSet}.
     */
    double[][] sums(boolean stats, double[] tauOfSet) {
        double[][] out = new double[5][];
        out[0] = sums[0].clone();
        for (int r = 1; r < 5; r++) {
            out[r] = new double[sets.size()];
        }
        if (stats) {
            for (int j = 0; j < sets.size(); j++) {
                out[1][j] = sums[1][j];
                out[2][j] = sums[2][j];
                out[3][j] = sums[3][j];
                out[4][j] = slopeWeighted[j] + sums[4][j] - tauOfSet[j] * sums[3][j];
            }
        }
        return out;
    }

    /** Frees the σ arguments. */
    void close() {
        for (NDArray a : argument) {
            a.close();
        }
    }

    /** Σ a, in eight float lanes (the JIT keeps them in registers; it vectorises no float sum) added in double. */
    static double sum(float[] a) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        double total = 0;
        int i = 0;
        for (int block = 0; block < a.length; block += 4096) {
            // a float lane adds at most 512 terms before it is added to the double total
            int end = Math.min(a.length, block + 4096);
            for (; i + 8 <= end; i += 8) {
                s0 += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3];
                s4 += a[i + 4]; s5 += a[i + 5]; s6 += a[i + 6]; s7 += a[i + 7];
            }
            total += (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
            s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0;
        }
        for (; i < a.length; i++) {
            total += a[i];
        }
        return total;
    }

    /** Σ a·b, as {@link #sum}. */
    static double dot(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        double total = 0;
        int i = 0;
        for (int block = 0; block < a.length; block += 4096) {
            int end = Math.min(a.length, block + 4096);
            for (; i + 8 <= end; i += 8) {
                s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3];
                s4 += a[i + 4] * b[i + 4]; s5 += a[i + 5] * b[i + 5]; s6 += a[i + 6] * b[i + 6];
                s7 += a[i + 7] * b[i + 7];
            }
            total += (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
            s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0;
        }
        for (; i < a.length; i++) {
            total += a[i] * b[i];
        }
        return total;
    }
}
