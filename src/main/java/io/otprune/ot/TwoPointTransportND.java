package io.otprune.ot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;

/**
 * The two-point transport of {@link TwoPointTransport} on NDArrays, on whatever device the scores live on. Scalars
 * enter as engine-owned arrays (engine trap 1), and every intermediate lives in a child manager closed before
 * returning, so nothing is left on the scores' manager (engine trap 2).
 */
public final class TwoPointTransportND {
    private TwoPointTransportND() {}

    /** Kept mass K(τ) = Σ μ_i σ((s_i − τ)/ε); {@code mu} null means uniform. */
    public static double keptMass(NDArray scores, NDArray mu, double tau, double eps) {
        try (NDManager m = scores.getManager().newSubManager()) {
            NDArray mask = mask(m, scores, tau, eps);
            NDArray k = mu == null ? mask.mean() : mask.mul(mu).sum();
            return k.toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /** One Sinkhorn column-scaling iteration from τ: one pass over the scores. */
    public static double sinkhornStep(NDArray scores, NDArray mu, double tau, double rho, double eps) {
        return TwoPointTransport.sinkhornStep(tau, keptMass(scores, mu, tau, eps), rho, eps);
    }

    /**
     * Converged solve of K(τ) = ρ by Newton's method safeguarded with bisection; each iteration is one fused pass
     * returning K and its derivative together. Arithmetic in float64 on the device.
     */
    public static TwoPointTransport.Solution solve(NDArray scores, NDArray mu, double rho, double eps, double tol) {
        TwoPointTransport.checkArgs(rho, eps);
        try (NDManager m = scores.getManager().newSubManager()) {
            NDArray s = scores.toType(DataType.FLOAT64, true);
            s.attach(m); // a conversion belongs to its source's manager until moved here
            NDArray w = null;
            if (mu != null) {
                w = mu.toType(DataType.FLOAT64, true);
                w.attach(m);
            }
            double lo = s.min().getDouble(), hi = s.max().getDouble();
            double a = lo - TwoPointTransport.SATURATION * eps, b = hi + TwoPointTransport.SATURATION * eps;
            double tau = 0.5 * (a + b);
            NDArray one = m.create(1.0);
            int it = 0;
            while (it < 200) {
                it++;
                NDArray mask = mask(m, s, tau, eps);
                NDArray d = one.sub(mask).mul(mask);
                NDArray both = w == null
                        ? mask.mean().stack(d.mean())
                        : mask.mul(w).sum().stack(d.mul(w).sum());
                double[] kd = both.toDoubleArray();
                mask.close();
                d.close();
                both.close();
                double f = kd[0] - rho;
                if (Math.abs(f) <= tol) {
                    break;
                }
                if (f > 0) {
                    a = tau;
                } else {
                    b = tau;
                }
                double next = kd[1] > 0 ? tau + f * eps / kd[1] : Double.NaN;
                if (!(next > a && next < b)) {
                    next = 0.5 * (a + b);
                }
                if (next == tau || b - a <= Math.ulp(tau) * 4) {
                    tau = next;
                    break;
                }
                tau = next;
            }
            return new TwoPointTransport.Solution(tau, keptMass(scores, mu, tau, eps), it + 2, it, (int) s.size());
        }
    }

    private static NDArray mask(NDManager m, NDArray s, double tau, double eps) {
        NDArray negTau = m.create(-tau).toType(s.getDataType(), false);
        NDArray inv = m.create(1.0 / eps).toType(s.getDataType(), false);
        return Activation.sigmoid(negTau.add(s).mul(inv));
    }
}
