package io.otprune.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SinkhornBarycenterTest {
    static final int N = 41;

    static double[] bump(double centre, double width) {
        double[] h = new double[N];
        double s = 0;
        for (int i = 0; i < N; i++) {
            double x = i / (double) (N - 1);
            h[i] = Math.exp(-0.5 * Math.pow((x - centre) / width, 2)) + 1e-12;
            s += h[i];
        }
        for (int i = 0; i < N; i++) {
            h[i] /= s;
        }
        return h;
    }

    static double mean(double[] h) {
        double m = 0;
        for (int i = 0; i < N; i++) {
            m += h[i] * i / (N - 1);
        }
        return m;
    }

    static double std(double[] h) {
        double m = mean(h), v = 0;
        for (int i = 0; i < N; i++) {
            v += h[i] * Math.pow(i / (double) (N - 1) - m, 2);
        }
        return Math.sqrt(v);
    }

    @Test
    void barycenterOfTwoBumpsIsOneBumpHalfwayNotAMixture() {
        double[] a = bump(0.2, 0.04), b = bump(0.8, 0.04);
        SinkhornBarycenter.Result r = SinkhornBarycenter.solve(new double[][] {a, b}, null,
                SinkhornBarycenter.gridCost(N), 0.002, 2000, 1e-10);
        double[] bary = r.barycenter();
        assertThat(java.util.Arrays.stream(bary).sum()).isCloseTo(1, within(1e-9));
        // 1-D W2 barycenter = average of quantile functions: a bump at 0.5 of the same width
        assertThat(mean(bary)).isCloseTo(0.5, within(0.01));
        assertThat(std(bary)).isCloseTo(0.04, within(0.015));
        // an L2 (Euclidean) average would put half the mass near 0.2 and 0.8; the barycenter puts almost none there
        double nearEnds = 0;
        for (int i = 0; i < N; i++) {
            double x = i / (double) (N - 1);
            if (x < 0.3 || x > 0.7) {
                nearEnds += bary[i];
            }
        }
        assertThat(nearEnds).isLessThan(0.02);
    }

    @Test
    void weightsMoveTheBarycenterAlongTheGeodesic() {
        double[] a = bump(0.2, 0.05), b = bump(0.7, 0.05);
        double[] bary = SinkhornBarycenter.solve(new double[][] {a, b}, new double[] {0.75, 0.25},
                SinkhornBarycenter.gridCost(N), 0.002, 2000, 1e-10).barycenter();
        assertThat(mean(bary)).isCloseTo(0.75 * 0.2 + 0.25 * 0.7, within(0.01));
    }

    @Test
    void identicalHistogramsGiveThemselvesAndDistancesRankByDisplacement() {
        double[] a = bump(0.5, 0.1);
        double[][] cost = SinkhornBarycenter.gridCost(N);
        double[] bary = SinkhornBarycenter.solve(new double[][] {a, a, a}, null, cost, 0.002, 2000, 1e-10)
                .barycenter();
        assertThat(mean(bary)).isCloseTo(0.5, within(1e-3));
        assertThat(std(bary)).isCloseTo(std(a), within(0.01));
        double near = LogSinkhorn.solve(cost, bump(0.55, 0.1), bary, 0.002, 5000, 1e-9).cost();
        double far = LogSinkhorn.solve(cost, bump(0.75, 0.1), bary, 0.002, 5000, 1e-9).cost();
        // W2² of shifted bumps is the shift squared (plus the entropic term, the same for both)
        assertThat(far - near).isCloseTo(0.25 * 0.25 - 0.05 * 0.05, within(0.01));
    }
}
