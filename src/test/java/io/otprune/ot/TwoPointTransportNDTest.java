package io.otprune.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The NDArray path gives the plan of the primitive path and leaves nothing on the caller's manager. */
class TwoPointTransportNDTest {
    @Test
    void matchesThePrimitiveSolver() {
        SplittableRandom r = new SplittableRandom(9);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (int trial = 0; trial < 20; trial++) {
                int n = 10 + r.nextInt(50_000);
                float[] s = TwoPointTransportTest.randomScores(r, n);
                double[] mu = trial % 2 == 0 ? null : TwoPointTransportTest.randomMasses(r, n);
                double rho = 0.05 + 0.9 * r.nextDouble();
                double eps = 0.05 + r.nextDouble();
                NDArray sa = m.create(s);
                NDArray ma = mu == null ? null : m.create(mu);
                int before = m.getManagedArrays().size();
                double tauNd = TwoPointTransportND.solve(sa, ma, rho, eps, 1e-12).tau();
                double tau = TwoPointTransport.solve(s, mu, rho, eps, 1e-12).tau();
                assertThat(tauNd).isCloseTo(tau, within(1e-6));
                assertThat(TwoPointTransport.keptMass(s, mu, tauNd, eps)).isCloseTo(rho, within(1e-9));
                double step = TwoPointTransportND.sinkhornStep(sa, ma, tau + 0.3, rho, eps);
                double stepJava = TwoPointTransport.sinkhornStep(tau + 0.3,
                        TwoPointTransport.keptMass(s, mu, tau + 0.3, eps), rho, eps);
                assertThat(step).isCloseTo(stepJava, within(1e-5));
                assertThat(m.getManagedArrays()).hasSize(before);
            }
        }
    }
}
