package io.otprune.ot;

/**
 * Entropic Wasserstein barycenter of histograms on one grid (Benamou, Carlier, Cuturi, Nenna, Peyré 2015: iterative
 * Bregman projections), in the log domain like {@link LogSinkhorn}: each histogram h_k gets dual potentials
 * (f_k, g_k); the f-step makes every plan's first marginal h_k exactly, and the barycenter is the weighted geometric
 * mean of the plans' second marginals, which the g-step then imposes on all of them.
 */
public final class SinkhornBarycenter {
    private SinkhornBarycenter() {}

    /** The barycenter (sums to 1), the iterations used and the last change (L1) of the barycenter. */
    public record Result(double[] barycenter, int iterations, double change) {}

    /**
     * @param hists   K histograms of n bins each (each summing to 1, entries &gt; 0)
     * @param weights K barycentric weights summing to 1, or null for uniform
     * @param cost    n×n ground cost between bins
     */
    public static Result solve(double[][] hists, double[] weights, double[][] cost, double eps, int maxIterations,
            double tol) {
        int k = hists.length, n = cost.length;
        if (k == 0) {
            throw new IllegalArgumentException("no histograms");
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("ε must be positive, got " + eps);
        }
        double[] w = weights != null ? weights : uniform(k);
        double[][] f = new double[k][n], g = new double[k][n], a = new double[k][n];
        double[] logB = new double[n], b = new double[n], tmp = new double[n];
        double change = Double.POSITIVE_INFINITY;
        int it = 0;
        while (it < maxIterations && change > tol) {
            it++;
            java.util.Arrays.fill(logB, 0);
            for (int q = 0; q < k; q++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        tmp[j] = (g[q][j] - cost[i][j]) / eps;
                    }
                    f[q][i] = eps * (Math.log(hists[q][i]) - LogSinkhorn.logSumExp(tmp, n));
                }
                for (int j = 0; j < n; j++) {
                    for (int i = 0; i < n; i++) {
                        tmp[i] = (f[q][i] - cost[i][j]) / eps;
                    }
                    a[q][j] = LogSinkhorn.logSumExp(tmp, n); // log of the plan's second marginal (before g)
                    logB[j] += w[q] * a[q][j];
                }
            }
            change = 0;
            double sum = 0;
            for (int j = 0; j < n; j++) {
                double v = Math.exp(logB[j]);
                change += Math.abs(v - b[j]);
                b[j] = v;
                sum += v;
            }
            for (int q = 0; q < k; q++) {
                for (int j = 0; j < n; j++) {
                    g[q][j] = eps * (logB[j] - a[q][j]);
                }
            }
            if (sum <= 0 || Double.isNaN(sum)) {
                throw new ArithmeticException("barycenter underflow: raise ε");
            }
        }
        double sum = 0;
        for (double v : b) {
            sum += v;
        }
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = b[j] / sum;
        }
        return new Result(out, it, change);
    }

    private static double[] uniform(int k) {
        double[] w = new double[k];
        java.util.Arrays.fill(w, 1.0 / k);
        return w;
    }

    /** Squared distance between the points of a 1-D grid of n points on [0, 1]. */
    public static double[][] gridCost(int n) {
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = (i - j) / (double) (n - 1);
                c[i][j] = d * d;
            }
        }
        return c;
    }
}
