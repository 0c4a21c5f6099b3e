package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-set floors ({@link PruneConfig#minKept}) hold in the hard selection, and the budget stays exact. */
class FloorsTest {
    static final Path LENET = Path.of(System.getProperty("otprune.repo", ".")).resolve("sample-models/lenet5-fmnist");

    static int kept(boolean[] k) {
        int n = 0;
        for (boolean b : k) {
            n += b ? 1 : 0;
        }
        return n;
    }

    static boolean[][] select(PruneUnits units, PruneConfig pc) {
        return units.select(Problems.build(units.sets(), pc.budget(), pc.scope(), pc.keptFraction()),
                Baselines.magnitudes(units.sets()), pc, pc.keptFraction());
    }

    @Test
    void unstructuredFloorsHoldAndTheCountStaysExact() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network net = ModelStore.load(LENET, m).network();
            PruneUnits units = PruneUnits.of(net, PruneConfig.Granularity.UNSTRUCTURED);
            List<UnitSet> sets = units.sets();
            int n = sets.stream().mapToInt(UnitSet::size).sum();
            PruneConfig plain = PruneConfig.builder().method(PruneConfig.Method.MAGNITUDE).sparsity(0.9).build();
            boolean[][] before = select(units, plain);
            // of the layers smaller than a tenth of the model, the one magnitude keeps least of: a floor above that
            int low = -1;
            for (int j = 0; j < sets.size(); j++) {
                if (sets.get(j).size() < n / 10 && (low < 0 || (double) kept(before[j]) / sets.get(j).size()
                        < (double) kept(before[low]) / sets.get(low).size())) {
                    low = j;
                }
            }
            double share = (double) kept(before[low]) / sets.get(low).size();
            double floor = Math.min(1, share + 0.05);
            PruneConfig withFloor = plain.toBuilder().minKept(Map.of(sets.get(low).name(), floor)).build();
            boolean[][] after = select(units, withFloor);
            assertThat(kept(after[low])).isGreaterThanOrEqualTo((int) Math.ceil(floor * sets.get(low).size() - 1e-9))
                    .isGreaterThan(kept(before[low]));
            int total = 0;
            for (boolean[] k : after) {
                total += kept(k);
            }
            assertThat(total).isEqualTo(Math.round(0.1 * n));
            // layer scope keeps the same share of every layer: a floor above it cannot be met, and says so
            PruneConfig layer = withFloor.toBuilder().scope(PruneConfig.Scope.LAYER).build();
            assertThatThrownBy(() -> select(units, layer)).isInstanceOf(Selection.BudgetException.class)
                    .hasMessageContaining(sets.get(low).name());
            // a floor for no layer of this model, and floors that exceed the budget, are refused
            assertThatThrownBy(() -> select(units, plain.toBuilder().minKept(Map.of("nope", 0.5)).build()))
                    .hasMessageContaining("nope").hasMessageContaining(sets.get(0).name());
            assertThatThrownBy(() -> select(units, plain.toBuilder().minKept(Map.of(sets.get(0).name(), 1.0,
                    sets.get(1).name(), 1.0, sets.get(2).name(), 1.0)).sparsity(0.99).build()))
                    .isInstanceOf(Selection.BudgetException.class).hasMessageContaining("floors");
        }
    }

    @Test
    void structuredFloorsHoldUnderCountAndParamBudgets() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network net = ModelStore.load(LENET, m).network();
            PruneUnits units = PruneUnits.of(net, PruneConfig.Granularity.STRUCTURED);
            List<UnitSet> sets = units.sets();
            int n = sets.stream().mapToInt(UnitSet::size).sum();
            String first = sets.get(0).name();
            for (PruneConfig.Budget budget : List.of(PruneConfig.Budget.COUNT, PruneConfig.Budget.PARAMS)) {
                PruneConfig pc = PruneConfig.builder().method(PruneConfig.Method.MAGNITUDE)
                        .granularity(PruneConfig.Granularity.STRUCTURED).budget(budget).sparsity(0.7)
                        .minKept(Map.of(first, 0.75)).build();
                boolean[][] keep = select(units, pc);
                assertThat(kept(keep[0])).as(budget.name())
                        .isGreaterThanOrEqualTo((int) Math.ceil(0.75 * sets.get(0).size()));
                Accounting acc = units.account(keep, budget);
                if (budget == PruneConfig.Budget.COUNT) {
                    assertThat(acc.kept()).isEqualTo(Math.round(0.3 * n));
                } else {
                    // within one channel's cost below the target, as without floors
                    assertThat(acc.achieved()).isGreaterThanOrEqualTo(0.7).isLessThan(0.72);
                }
            }
        }
    }

    @Test
    void egpsOwnAllocationKeepsTheFloorsAndTheTotal() {
        long[] size = {1_000, 1_000};
        // layer 1 at H = 0 would give up 990 weights; its floor of 600 kept caps it at 400, layer 0 gives the rest;
        // 1,500 is more than both can give (990 + 400)
        long[] take = Egp.allocate(new double[] {1.0, 0.0}, new double[] {0.1, 0.1}, size.clone(), size, 1_200,
                new int[] {0, 600});
        assertThat(take[1]).isEqualTo(400);
        assertThat(take[0] + take[1]).isEqualTo(1_200);
        assertThatThrownBy(() -> Egp.allocate(new double[] {1, 1}, new double[] {1, 1}, size.clone(), size, 1_500,
                new int[] {0, 600})).hasMessageContaining("floor");
    }

    @Test
    void floorsAreWrittenAsTheCliReadsThem() {
        Map<String, Double> f = Map.of("conv1", 0.5, "layer1.0.conv1 (+2 coupled)", 0.25);
        assertThat(PruneConfig.parseFloors(PruneConfig.floorsWord(f))).isEqualTo(f);
        assertThatThrownBy(() -> PruneConfig.parseFloors("conv1=abc")).hasMessageContaining("conv1");
        assertThatThrownBy(() -> PruneConfig.builder().minKept(Map.of("a", 1.5)).build()).hasMessageContaining("a");
        assertThatThrownBy(() -> PruneConfig.builder().granularity(PruneConfig.Granularity.DEPTH)
                .minKept(Map.of("a", 0.5)).build()).hasMessageContaining("depth");
    }
}
