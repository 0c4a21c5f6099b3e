package io.otprune.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogSinkhornTest {

    private static double bestPermutation(double[][] c, int[] perm, int k, boolean[] used, double acc, double best) {
        int n = c.length;
        if (k == n) {
            return Math.min(best, acc);
        }
        for (int j = 0; j < n; j++) {
            if (!used[j]) {
                used[j] = true;
                best = bestPermutation(c, perm, k + 1, used, acc + c[k][j] / n, best);
                used[j] = false;
            }
        }
        return best;
    }

    @Test
    void marginalsHold() {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + r.nextInt(8), m = 2 + r.nextInt(8);
            double[][] c = new double[n][m];
            for (double[] row : c) {
                for (int j = 0; j < m; j++) {
                    row[j] = r.nextDouble();
                }
            }
            double[] a = TwoPointTransportTest.randomMasses(r, n), b = TwoPointTransportTest.randomMasses(r, m);
            LogSinkhorn.Result res = LogSinkhorn.solve(c, a, b, 0.05, 100_000, 1e-12);
            for (int i = 0; i < n; i++) {
                double row = 0;
                for (int j = 0; j < m; j++) {
                    row += res.plan()[i][j];
                }
                assertThat(row).isCloseTo(a[i], within(1e-9));
            }
            for (int j = 0; j < m; j++) {
                double col = 0;
                for (int i = 0; i < n; i++) {
                    col += res.plan()[i][j];
                }
                assertThat(col).isCloseTo(b[j], within(1e-9));
            }
        }
    }

    @Test
    void costTendsToTheBruteForceOptimumAsTemperatureFalls() {
        SplittableRandom r = new SplittableRandom(2);
        for (int trial = 0; trial < 10; trial++) {
            int n = 3 + r.nextInt(4); // uniform marginals: the optimum is a permutation (Birkhoff)
            double[][] c = new double[n][n];
            for (double[] row : c) {
                for (int j = 0; j < n; j++) {
                    row[j] = r.nextDouble();
                }
            }
            double[] u = new double[n];
            java.util.Arrays.fill(u, 1.0 / n);
            double opt = bestPermutation(c, new int[n], 0, new boolean[n], 0, Double.POSITIVE_INFINITY);
            double prevGap = Double.POSITIVE_INFINITY;
            for (double eps : new double[] {0.1, 0.01, 0.001}) {
                double cost = LogSinkhorn.solve(c, u, u, eps, 200_000, 1e-11).cost();
                double gap = cost - opt;
                assertThat(gap).isGreaterThanOrEqualTo(-1e-6); // never below the optimum, up to the marginal tolerance
                assertThat(gap).isLessThanOrEqualTo(prevGap + 1e-6); // up to the solver's tolerance
                prevGap = gap;
            }
            assertThat(prevGap).isLessThan(0.01);
        }
    }
}
