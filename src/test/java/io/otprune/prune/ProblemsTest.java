package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exactness of the hard budget over many random problems: sizes, ratios, costs, scopes. */
class ProblemsTest {

    @Test
    void countBudgetKeepsExactlyK() {
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 300; trial++) {
            int sets = 1 + r.nextInt(5);
            List<float[]> scores = new ArrayList<>();
            double[][] costs = new double[sets][];
            int[] idx = new int[sets];
            int n = 0;
            for (int j = 0; j < sets; j++) {
                int size = 1 + r.nextInt(trial % 3 == 0 ? 5000 : 50);
                float[] s = new float[size];
                for (int i = 0; i < size; i++) {
                    s[i] = r.nextInt(4) == 0 ? 1f : (float) r.nextGaussian(); // many ties too
                }
                scores.add(s);
                costs[j] = new double[size];
                java.util.Arrays.fill(costs[j], 1.0);
                idx[j] = j;
                n += size;
            }
            double rho = 0.001 + 0.998 * r.nextDouble();
            Problem p = new Problem("p", idx, rho, costs);
            boolean[][] keep = p.harden(scores);
            int kept = 0;
            for (boolean[] k : keep) {
                for (boolean b : k) {
                    kept += b ? 1 : 0;
                }
            }
            assertThat(kept).as("trial %d", trial).isEqualTo((int) Math.round(rho * n));
        }
    }

    @Test
    void costBudgetEndsWithinOneUnitOfTheTarget() {
        SplittableRandom r = new SplittableRandom(12);
        for (int trial = 0; trial < 300; trial++) {
            int sets = 1 + r.nextInt(4);
            List<float[]> scores = new ArrayList<>();
            double[][] costs = new double[sets][];
            int[] idx = new int[sets];
            double total = 0, max = 0;
            for (int j = 0; j < sets; j++) {
                int size = 1 + r.nextInt(2000);
                float[] s = new float[size];
                costs[j] = new double[size];
                double c = 1 + r.nextInt(784); // per-layer FLOPs per weight, or per-channel costs
                for (int i = 0; i < size; i++) {
                    s[i] = (float) r.nextGaussian();
                    costs[j][i] = trial % 2 == 0 ? c : 1 + r.nextInt(1000);
                    total += costs[j][i];
                    max = Math.max(max, costs[j][i]);
                }
                scores.add(s);
                idx[j] = j;
            }
            double rho = 0.01 + 0.98 * r.nextDouble();
            Problem p = new Problem("p", idx, rho, costs);
            if (p.uniformCosts()) {
                continue; // covered above
            }
            boolean[][] keep = p.harden(scores);
            double kept = 0;
            for (int j = 0; j < sets; j++) {
                for (int i = 0; i < keep[j].length; i++) {
                    kept += keep[j][i] ? costs[j][i] : 0;
                }
            }
            assertThat(kept).isLessThanOrEqualTo(rho * total * (1 + 1e-12));
            assertThat(rho * total - kept).as("trial %d", trial).isLessThan(max);
        }
    }

    @Test
    void layerScopeMakesOneProblemPerSetWithTheSameRatio() {
        // Problems.build only needs sizes and costs; a fake set is enough
        List<UnitSet> sets = List.of(FakeSet.of("a", 100, 1), FakeSet.of("b", 40, 9));
        List<Problem> global = Problems.build(sets, PruneConfig.Budget.FLOPS, PruneConfig.Scope.GLOBAL, 0.25);
        List<Problem> layer = Problems.build(sets, PruneConfig.Budget.FLOPS, PruneConfig.Scope.LAYER, 0.25);
        assertThat(global).hasSize(1);
        assertThat(global.get(0).totalCost()).isEqualTo(100 + 40 * 9);
        assertThat(layer).hasSize(2);
        boolean[][] keep = Problems.harden(layer, List.of(new float[100], new float[40]), 2);
        assertThat(count(keep[0])).isEqualTo(25);
        assertThat(count(keep[1])).isEqualTo(10);
    }

    static int count(boolean[] k) {
        int c = 0;
        for (boolean b : k) {
            c += b ? 1 : 0;
        }
        return c;
    }

    /** A unit set with uniform costs and no layers, for problem-building tests. */
    record FakeSet(String name, int size, double flopCost) implements UnitSet {
        static FakeSet of(String n, int size, double flopCost) {
            return new FakeSet(n, size, flopCost);
        }

        @Override public List<io.otprune.model.PrunableLayer> layers() { return List.of(); }
        @Override public ai.djl.ndarray.types.Shape shape() { return new ai.djl.ndarray.types.Shape(size); }
        @Override public double[] costs(PruneConfig.Budget b) {
            double[] c = new double[size];
            java.util.Arrays.fill(c, b == PruneConfig.Budget.FLOPS ? flopCost : 1);
            return c;
        }
        @Override public float[] magnitudes() { return new float[size]; }
        @Override public void installMask(ai.djl.ndarray.NDArray mask) {}
        @Override public void clearMask() {}
        @Override public void enforce(ai.djl.ndarray.NDArray hardMask) {}
    }
}
