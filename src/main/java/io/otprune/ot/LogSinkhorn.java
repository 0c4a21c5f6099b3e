package io.otprune.ot;

/**
 * General entropic optimal transport between discrete distributions a (n) and b (m) with cost C (n×m), solved by
 * Sinkhorn iterations on the dual potentials in the log domain (stable for small ε: no exp(−C/ε) kernel is ever
 * formed). Used by the tests as the reference for the two-point fast path, and by barycentric methods.
 */
public final class LogSinkhorn {
    private LogSinkhorn() {}

    /** The plan, its transport cost ⟨C,P⟩, the iterations used and the final marginal error (L1 on columns). */
    public record Result(double[][] plan, double cost, int iterations, double marginalError, double[] f, double[] g) {}

    public static Result solve(double[][] cost, double[] a, double[] b, double eps, int maxIterations, double tol) {
        int n = a.length, m = b.length;
        if (cost.length != n || cost[0].length != m) {
            throw new IllegalArgumentException("cost is " + cost.length + "x" + cost[0].length + ", marginals " + n + " and " + m);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("ε must be positive, got " + eps);
        }
        double[] loga = new double[n], logb = new double[m];
        for (int i = 0; i < n; i++) {
            loga[i] = Math.log(a[i]);
        }
        for (int j = 0; j < m; j++) {
            logb[j] = Math.log(b[j]);
        }
        double[] f = new double[n], g = new double[m];
        double err = Double.POSITIVE_INFINITY;
        int it = 0;
        double[] tmp = new double[Math.max(n, m)];
        while (it < maxIterations) {
            it++;
            // f_i = ε log a_i − ε logsumexp_j((g_j − C_ij)/ε): rows exact
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    tmp[j] = (g[j] - cost[i][j]) / eps;
                }
                f[i] = eps * (loga[i] - logSumExp(tmp, m));
            }
            // g_j likewise for the columns
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < n; i++) {
                    tmp[i] = (f[i] - cost[i][j]) / eps;
                }
                g[j] = eps * (logb[j] - logSumExp(tmp, n));
            }
            // after the column update the columns are exact; measure the rows
            err = 0;
            for (int i = 0; i < n; i++) {
                double row = 0;
                for (int j = 0; j < m; j++) {
                    row += Math.exp((f[i] + g[j] - cost[i][j]) / eps);
                }
                err += Math.abs(row - a[i]);
            }
            if (err <= tol) {
                break;
            }
        }
        double[][] plan = new double[n][m];
        double c = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                plan[i][j] = Math.exp((f[i] + g[j] - cost[i][j]) / eps);
                c += plan[i][j] * cost[i][j];
            }
        }
        return new Result(plan, c, it, err, f, g);
    }

    static double logSumExp(double[] x, int len) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            max = Math.max(max, x[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += Math.exp(x[i] - max);
        }
        return max + Math.log(s);
    }
}
