package io.otprune.ot;

/**
 * Entropic optimal transport from n units onto two points, "pruned" and "kept", on primitive arrays (DESIGN.md §1).
 *
 * <p>Source masses μ_i (uniform when {@code mu} is null), target masses (1−ρ, ρ), cost C_i,keep = −s_i and
 * C_i,prune = 0. With rows normalised exactly, the plan's keep column divided by μ_i is the soft mask
 * m_i = σ((s_i − τ)/ε), τ being the difference of the two column duals; the plan is feasible when
 * K(τ) = Σ μ_i m_i equals ρ. K is strictly decreasing in τ, so τ is unique.
 *
 * <p>Two ways to move τ: {@link #sinkhornStep} is one Sinkhorn column-scaling iteration (closed form, what a
 * training step does); {@link #solve} is a converged solve (bracketed Newton to 1e-12 in double).
 */
public final class TwoPointTransport {
    /** Beyond this many temperatures from τ a mask is exactly 0 or 1 in double precision (σ(40) = 1 − 4e−18). */
    static final double SATURATION = 40.0;

    private TwoPointTransport() {}

    /** σ(x) computed without overflow. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** log(p / (1 − p)). */
    public static double logit(double p) {
        return Math.log(p) - Math.log1p(-p);
    }

    /** Soft mask of one unit. */
    public static double mask(double score, double tau, double eps) {
        return sigmoid((score - tau) / eps);
    }

    /** Kept mass K(τ) = Σ μ_i σ((s_i − τ)/ε), μ normalised to sum 1 (uniform when null). */
    public static double keptMass(float[] s, double[] mu, double tau, double eps) {
        double k = 0;
        double inv = 1.0 / eps;
        if (mu == null) {
            for (float v : s) {
                k += sigmoid((v - tau) * inv);
            }
            return k / s.length;
        }
        for (int i = 0; i < s.length; i++) {
            k += mu[i] * sigmoid((s[i] - tau) * inv);
        }
        return k;
    }

    /**
     * One Sinkhorn iteration in the log domain: rescale the two columns to their target masses given the kept mass
     * K of the current (row-normalised) plan. In terms of τ: τ' = τ + ε (logit K − logit ρ). Warm-started from the
     * previous τ this is the per-step update; it moves τ monotonically towards the solution.
     */
    public static double sinkhornStep(double tau, double keptMass, double rho, double eps) {
        double k = Math.min(Math.max(keptMass, 1e-300), 1 - 1e-16);
        return tau + eps * (logit(k) - logit(rho));
    }

    /**
     * Result of a converged solve: τ, the kept mass it achieves, the passes over all units, and the Newton
     * iterations (each over the active units only).
     */
    public record Solution(double tau, double keptMass, int passes, int newtonIterations, int activeUnits) {}

    /**
     * Solves K(τ) = ρ to |K − ρ| ≤ tol (or τ to machine precision), by Newton's method safeguarded with
     * bisection. Units more than 40ε beyond the bracket are exactly 0 or 1 and are summed once, so late in
     * training (small ε) the Newton iterations only touch the few units near the threshold.
     *
     * @param mu masses summing to 1, or null for uniform
     */
    public static Solution solve(float[] s, double[] mu, double rho, double eps, double tol) {
        checkArgs(rho, eps);
        int n = s.length;
        if (n == 0) {
            throw new IllegalArgumentException("no units");
        }
        // Pass 1: range.
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : s) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        int passes = 1;
        // K(lo − 40ε) = 1 > ρ and K(hi + 40ε) = 0 < ρ: a valid bracket.
        double a = lo - SATURATION * eps, b = hi + SATURATION * eps;
        // Pass 2: narrow the bracket with a histogram; bounds of each bin give rigorous bounds of K.
        if (hi > lo && n > 4096) {
            double[] br = histogramBracket(s, mu, rho, eps, lo, hi);
            a = Math.max(a, br[0]);
            b = Math.min(b, br[1]);
            passes++;
        }
        // Pass 3: split into units that are exactly kept / pruned for any τ in [a, b] and the active rest.
        double fixedKept = 0;
        double lowCut = a - SATURATION * eps, highCut = b + SATURATION * eps;
        int active = 0;
        for (float v : s) {
            if (v > lowCut && v < highCut) {
                active++;
            }
        }
        float[] as = new float[active];
        double[] am = mu == null ? null : new double[active];
        int j = 0;
        double uniform = 1.0 / n;
        for (int i = 0; i < n; i++) {
            float v = s[i];
            if (v >= highCut) {
                fixedKept += mu == null ? uniform : mu[i];
            } else if (v > lowCut) {
                as[j] = v;
                if (am != null) {
                    am[j] = mu[i];
                }
                j++;
            }
        }
        passes += 2;
        int iterations = 0;
        double w = mu == null ? uniform : 1.0;
        double target = rho - fixedKept;
        double tau = 0.5 * (a + b);
        for (int it = 0; it < 200; it++) {
            double k = 0, dk = 0, inv = 1.0 / eps;
            for (int i = 0; i < active; i++) {
                double m = sigmoid((as[i] - tau) * inv);
                double wi = am == null ? w : am[i];
                k += wi * m;
                dk += wi * m * (1 - m);
            }
            iterations++;
            double f = k - target; // decreasing in τ
            if (Math.abs(f) <= tol) {
                return new Solution(tau, k + fixedKept, passes, iterations, active);
            }
            if (f > 0) {
                a = tau;
            } else {
                b = tau;
            }
            double next = dk > 0 ? tau + f * eps / dk : Double.NaN;
            if (!(next > a && next < b)) {
                next = 0.5 * (a + b);
            }
            if (next == tau || b - a <= Math.ulp(tau) * 4) {
                return new Solution(next, keptMass(s, mu, next, eps), passes + 1, iterations, active);
            }
            tau = next;
        }
        return new Solution(tau, keptMass(s, mu, tau, eps), passes + 1, iterations, active);
    }

    /** [τ_lo, τ_hi] containing the solution, from a 1024-bin histogram of the scores. */
    private static double[] histogramBracket(float[] s, double[] mu, double rho, double eps, double lo, double hi) {
        int bins = 1024;
        double width = (hi - lo) / bins;
        double scale = bins / (hi - lo);
        double[] mass = new double[bins];
        double uniform = 1.0 / s.length;
        for (int i = 0; i < s.length; i++) {
            int bi = (int) ((s[i] - lo) * scale);
            if (bi >= bins) {
                bi = bins - 1;
            } else if (bi < 0) {
                bi = 0;
            }
            mass[bi] += mu == null ? uniform : mu[i];
        }
        // K_low(τ) uses each bin's lower edge (≤ K), K_high(τ) its upper edge (≥ K); both decrease in τ.
        double tauLo = bisect(mass, lo, width, 0, rho, eps, lo - SATURATION * eps, hi + SATURATION * eps);
        double tauHi = bisect(mass, lo, width, 1, rho, eps, lo - SATURATION * eps, hi + SATURATION * eps);
        // One bin of slack on each side covers rounding in the bin assignment.
        return new double[] {tauLo - width, tauHi + width};
    }

    private static double bisect(double[] mass, double lo, double width, int edge, double rho, double eps,
            double a, double b) {
        // Bin-width precision is all the bracket needs.
        for (int it = 0; it < 60 && b - a > width / 4; it++) {
            double t = 0.5 * (a + b);
            double k = 0;
            for (int i = 0; i < mass.length; i++) {
                if (mass[i] != 0) {
                    k += mass[i] * sigmoid((lo + (i + edge) * width - t) / eps);
                }
            }
            if (k > rho) {
                a = t;
            } else {
                b = t;
            }
        }
        return edge == 0 ? a : b;
    }

    static void checkArgs(double rho, double eps) {
        if (!(rho > 0 && rho < 1)) {
            throw new IllegalArgumentException("kept fraction ρ must be in (0,1), got " + rho);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("temperature ε must be positive, got " + eps);
        }
    }
}
