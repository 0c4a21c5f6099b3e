package io.otprune.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TwoPointTransportTest {

    static float[] randomScores(SplittableRandom r, int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (r.nextGaussian() * (0.5 + r.nextDouble()));
        }
        return s;
    }

    static double[] randomMasses(SplittableRandom r, int n) {
        double[] mu = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            mu[i] = 1 + r.nextInt(100);
            sum += mu[i];
        }
        for (int i = 0; i < n; i++) {
            mu[i] /= sum;
        }
        return mu;
    }

    @Test
    void solvedPlanHasExactMarginals() {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(trial < 100 ? 50 : 20_000);
            float[] s = randomScores(r, n);
            double[] mu = trial % 2 == 0 ? null : randomMasses(r, n);
            double rho = 0.01 + 0.98 * r.nextDouble();
            double eps = Math.pow(10, -3 + 3 * r.nextDouble());
            TwoPointTransport.Solution sol = TwoPointTransport.solve(s, mu, rho, eps, 1e-13);
            // keep column = ρ, prune column = 1 − ρ (rows are exact by construction)
            double k = TwoPointTransport.keptMass(s, mu, sol.tau(), eps);
            if (Math.abs(k - rho) > 1e-9) {
                // only possible when the score gap at τ is far wider than ε: then every τ in the gap is as good
                // as the solver can represent and the plan is hard; check that is the situation
                assertThat(eps).as("trial %d: n=%d rho=%f eps=%g K=%f", trial, n, rho, eps, k).isLessThan(0.05);
            } else {
                assertThat(k).isCloseTo(rho, within(1e-9));
            }
        }
    }

    @Test
    void marginalsHoldTo1e9WhenTheProblemIsSmooth() {
        SplittableRandom r = new SplittableRandom(2);
        for (int trial = 0; trial < 100; trial++) {
            int n = 10 + r.nextInt(100_000);
            float[] s = randomScores(r, n);
            double[] mu = trial % 2 == 0 ? null : randomMasses(r, n);
            double rho = 0.05 + 0.9 * r.nextDouble();
            double eps = 0.05 + r.nextDouble();
            TwoPointTransport.Solution sol = TwoPointTransport.solve(s, mu, rho, eps, 1e-13);
            assertThat(TwoPointTransport.keptMass(s, mu, sol.tau(), eps)).isCloseTo(rho, within(1e-9));
            assertThat(1 - TwoPointTransport.keptMass(s, mu, sol.tau(), eps)).isCloseTo(1 - rho, within(1e-9));
        }
    }

    @Test
    void tauIsMonotoneInTheKeptFraction() {
        SplittableRandom r = new SplittableRandom(3);
        float[] s = randomScores(r, 5000);
        double prev = Double.POSITIVE_INFINITY;
        for (double rho = 0.02; rho < 0.99; rho += 0.02) {
            double tau = TwoPointTransport.solve(s, null, rho, 0.1, 1e-13).tau();
            assertThat(tau).isLessThan(prev); // keeping more means a lower threshold
            prev = tau;
        }
    }

    @Test
    void smallTemperatureGivesTheExactTopK() {
        SplittableRandom r = new SplittableRandom(4);
        for (int trial = 0; trial < 50; trial++) {
            int n = 20 + r.nextInt(2000);
            float[] s = randomScores(r, n);
            int k = 1 + r.nextInt(n - 1);
            double rho = (double) k / n;
            // ε well below the smallest score gap
            double eps = 1e-7;
            double tau = TwoPointTransport.solve(s, null, rho, eps, 1e-13).tau();
            boolean[] top = TopK.keepTop(s, k);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                double m = TwoPointTransport.mask(s[i], tau, eps);
                if (top[i]) {
                    assertThat(m).isGreaterThan(0.5);
                } else {
                    assertThat(m).isLessThan(0.5);
                }
                kept += m > 0.5 ? 1 : 0;
            }
            assertThat(kept).isEqualTo(k);
        }
    }

    @Test
    void tiesAreBrokenByIndex() {
        float[] s = {1f, 2f, 2f, 2f, 0f, -0f};
        assertThat(TopK.keepTop(s, 2)).containsExactly(false, true, true, false, false, false);
        assertThat(TopK.order(s)).containsExactly(1, 2, 3, 0, 4, 5);
    }

    @Test
    void keepWithinCostStaysWithinOneUnit() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 5 + r.nextInt(500);
            float[] s = randomScores(r, n);
            double[] cost = new double[n];
            double total = 0, max = 0;
            for (int i = 0; i < n; i++) {
                cost[i] = 1 + r.nextInt(50);
                total += cost[i];
                max = Math.max(max, cost[i]);
            }
            double budget = total * (0.05 + 0.9 * r.nextDouble());
            boolean[] keep = TopK.keepWithinCost(s, cost, budget);
            double used = 0;
            for (int i = 0; i < n; i++) {
                used += keep[i] ? cost[i] : 0;
            }
            assertThat(used).isLessThanOrEqualTo(budget + 1e-9);
            assertThat(budget - used).isLessThan(max);
        }
    }

    @Test
    void oneSinkhornStepMovesTauTowardsTheSolutionWithoutOvershoot() {
        SplittableRandom r = new SplittableRandom(6);
        for (int trial = 0; trial < 100; trial++) {
            float[] s = randomScores(r, 1000);
            double rho = 0.05 + 0.9 * r.nextDouble();
            double eps = 0.01 + r.nextDouble();
            double star = TwoPointTransport.solve(s, null, rho, eps, 1e-13).tau();
            double tau = star + (r.nextDouble() - 0.5) * 4;
            double err = Math.abs(tau - star);
            for (int it = 0; it < 20 && err > 1e-10; it++) { // beyond that, rounding of τ* itself
                double next = TwoPointTransport.sinkhornStep(tau, TwoPointTransport.keptMass(s, null, tau, eps), rho, eps);
                assertThat(Math.signum(next - star)).isIn(Math.signum(tau - star), 0.0); // same side: monotone
                assertThat(Math.abs(next - star)).isLessThanOrEqualTo(err + 1e-12);
                err = Math.abs(next - star);
                tau = next;
            }
        }
    }

    @Test
    void twoPointPathEqualsGeneralSinkhorn() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 20; trial++) {
            int n = 3 + r.nextInt(30);
            float[] s = randomScores(r, n);
            double[] mu = randomMasses(r, n);
            double rho = 0.1 + 0.8 * r.nextDouble();
            double eps = 0.05 + 0.5 * r.nextDouble();
            double[][] cost = new double[n][2];
            for (int i = 0; i < n; i++) {
                cost[i][0] = 0; // prune
                cost[i][1] = -s[i]; // keep
            }
            LogSinkhorn.Result gen = LogSinkhorn.solve(cost, mu, new double[] {1 - rho, rho}, eps, 100_000, 1e-14);
            double tau = TwoPointTransport.solve(s, mu, rho, eps, 1e-14).tau();
            for (int i = 0; i < n; i++) {
                double fast = mu[i] * TwoPointTransport.mask(s[i], tau, eps);
                assertThat(gen.plan()[i][1]).isCloseTo(fast, within(1e-9));
                assertThat(gen.plan()[i][0]).isCloseTo(mu[i] - fast, within(1e-9));
            }
            // and τ is the difference of the column duals
            assertThat(gen.g()[0] - gen.g()[1]).isCloseTo(tau, within(1e-6));
        }
    }
}
