package io.otprune.ot;

/**
 * Entropic optimal transport from n units onto two points, "pruned" and "kept", on primitive arrays (docs/design.md §1).
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

    /**
     * σ that skips the exponential where the result is 0 or 1 in double precision: most units, once the masks
     * are sharp (and exp of large arguments is slow).
     */
    static double saturatingSigmoid(double x) {
        if (x >= SATURATION) {
            return 1.0;
        }
        if (x <= -SATURATION) {
            return 0.0;
        }
        return sigmoid(x);
    }

    /** Kept mass K(τ) = Σ μ_i σ((s_i − τ)/ε), μ normalised to sum 1 (uniform when null). */
    public static double keptMass(float[] s, double[] mu, double tau, double eps) {
        double k = 0;
        double inv = 1.0 / eps;
        if (mu == null) {
            for (float v : s) {
                k += saturatingSigmoid((v - tau) * inv);
            }
            return k / s.length;
        }
        for (int i = 0; i < s.length; i++) {
            k += mu[i] * saturatingSigmoid((s[i] - tau) * inv);
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
     * bisection, in three passes over the units plus Newton iterations over the few near the threshold:
     * <ol>
     *   <li>the range of the scores;
     *   <li>a histogram of their masses, which brackets τ rigorously (a bin's lower and upper edges bound K from
     *       below and above) to within a bin, with exponentials evaluated only for bins within 40ε of the trial τ;
     *   <li>a split: units more than 40ε beyond the bracket are exactly 0 or 1 (σ(40) = 1 − 4e−18), summed once;
     *       the rest, the active units, are copied out.
     * </ol>
     * Late in training (ε small against the score spread) the active units are a small fraction of all.
     *
     * @param mu masses summing to 1, or null for uniform
     */
    public static Solution solve(float[] s, double[] mu, double rho, double eps, double tol) {
        checkArgs(rho, eps);
        if (s.length == 0) {
            throw new IllegalArgumentException("no units");
        }
        return newton(s, mu, rho, eps, tol, active(s, mu, rho, eps));
    }

    /**
     * The units a solve iterates over: all of them, or (passes 1–3 of {@link #solve}) those within 40ε of a bracket
     * of τ, with the mass of the units beyond it that are exactly kept. {@code mu} is null for uniform masses.
     */
    private record Active(float[] s, double[] mu, int n, double fixedKept, double a, double b, int passes) {}

    private static Active active(float[] s, double[] mu, double rho, double eps) {
        int n = s.length;
        double margin = SATURATION * eps;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : s) {
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        double a = lo - margin, b = hi + margin; // K(a) = 1 > ρ > 0 = K(b)
        // The histogram pays off when 40ε is narrow against the score range; otherwise every unit is active.
        if (!(hi > lo && n > 4096 && 4 * margin < hi - lo)) {
            return new Active(s, mu, n, 0, a, b, 1);
        }
        double uniform = 1.0 / n;
        int bins = 8192;
        double width = (hi - lo) / bins;
        double scale = bins / (hi - lo);
        double[] mass = new double[bins + 1];
        int[] count = new int[bins + 1];
        for (int i = 0; i < n; i++) {
            int bi = (int) ((s[i] - lo) * scale);
            if (bi >= bins) {
                bi = bins - 1;
            }
            mass[bi] += mu == null ? uniform : mu[i];
            count[bi]++;
        }
        double[] above = new double[bins + 1]; // mass of bins i.. bins-1
        for (int i = bins - 1; i >= 0; i--) {
            above[i] = above[i + 1] + mass[i];
        }
        double tauLo = bracket(mass, above, lo, width, 0, rho, eps, a, b);
        double tauHi = bracket(mass, above, lo, width, 1, rho, eps, a, b);
        a = Math.max(a, tauLo - width); // a bin of slack for rounding in the bin assignment
        b = Math.min(b, tauHi + width);
        double lowCut = a - margin, highCut = b + margin;
        int first = Math.max(0, (int) Math.floor((lowCut - lo) * scale) - 1);
        int last = Math.min(bins - 1, (int) Math.floor((highCut - lo) * scale) + 1);
        int capacity = 0;
        for (int i = first; i <= last; i++) {
            capacity += count[i];
        }
        float[] as = new float[capacity];
        double[] am = mu == null ? null : new double[capacity];
        double fixedKept = 0;
        int j = 0;
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
        return new Active(as, am, j, fixedKept, a, b, 3);
    }

    /** Newton's method on the active units, safeguarded by bisection within the bracket [a, b]. */
    private static Solution newton(float[] s, double[] mu, double rho, double eps, double tol, Active act) {
        double w = mu == null ? 1.0 / s.length : 1.0;
        double target = rho - act.fixedKept();
        double a = act.a(), b = act.b();
        float[] as = act.s();
        double[] am = act.mu();
        double tau = 0.5 * (a + b);
        int iterations = 0;
        double inv = 1.0 / eps;
        for (int it = 0; it < 200; it++) {
            double k = 0, dk = 0;
            for (int i = 0; i < act.n(); i++) {
                double m = sigmoid((as[i] - tau) * inv);
                double wi = am == null ? w : am[i];
                k += wi * m;
                dk += wi * m * (1 - m);
            }
            iterations++;
            double f = k - target; // decreasing in τ
            if (Math.abs(f) <= tol) {
                return new Solution(tau, k + act.fixedKept(), act.passes(), iterations, act.n());
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
                return new Solution(next, keptMass(s, mu, next, eps), act.passes() + 1, iterations, act.n());
            }
            tau = next;
        }
        return new Solution(tau, keptMass(s, mu, tau, eps), act.passes() + 1, iterations, act.n());
    }

    /**
     * Bisection on the histogram for the τ where the bound of K (edge 0: bins at their lower edges, a lower bound
     * of K; edge 1: upper edges, an upper bound) equals ρ, to a quarter bin. Bins beyond 40ε of the trial τ are
     * saturated and come from the suffix sums, so each trial costs O(bins within 40ε).
     */
    private static double bracket(double[] mass, double[] above, double lo, double width, int edge, double rho,
            double eps, double a, double b) {
        int bins = mass.length - 1;
        double margin = SATURATION * eps;
        for (int it = 0; it < 80 && b - a > width / 4; it++) {
            double t = 0.5 * (a + b);
            int from = Math.max(0, (int) Math.floor((t - margin - lo) / width) - 1);
            int to = Math.min(bins - 1, (int) Math.ceil((t + margin - lo) / width) + 1);
            double k = to + 1 <= bins ? above[Math.min(bins, to + 1)] : 0;
            if (from > to) {
                k = above[Math.min(bins, Math.max(0, from))];
            } else {
                for (int i = from; i <= to; i++) {
                    if (mass[i] != 0) {
                        k += mass[i] * sigmoid((lo + (i + edge) * width - t) / eps);
                    }
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
