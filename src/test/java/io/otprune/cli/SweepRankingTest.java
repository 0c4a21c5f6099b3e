package io.otprune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.otprune.util.SeedStats;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepRankingTest {

    @Test
    void dtpAgainstTheBestOtherMethodPerCell() {
        Map<String, Map<String, SeedStats>> cells = new LinkedHashMap<>();
        cells.put("lenet5 | 0.95", methods(SeedStats.of(0.91, 0.912, 0.914), SeedStats.of(0.90, 0.901, 0.902),
                SeedStats.of(0.80, 0.81, 0.82)));
        cells.put("lenet5 | 0.98", methods(SeedStats.of(0.88, 0.89, 0.90), SeedStats.of(0.885, 0.895, 0.905),
                SeedStats.of(0.70, 0.71, 0.72)));
        cells.put("lenet5 | 0.99", methods(SeedStats.of(0.80, 0.801, 0.802), SeedStats.of(0.85, 0.851, 0.852),
                SeedStats.of(0.70, 0.71, 0.72)));
        String md = SweepCommand.rankingTable(cells);
        assertThat(md).contains("| lenet5 | 0.95 | 91.20 ± 0.20 | gmp | 90.10 ± 0.10 | +1.10 | DTP leads |")
                .contains("| lenet5 | 0.98 | 89.00 ± 1.00 | gmp | 89.50 ± 1.00 | -0.50 | within the seed spread |")
                .contains("| lenet5 | 0.99 | 80.10 ± 0.10 | gmp | 85.10 ± 0.10 | -5.00 | DTP behind |");
    }

    @Test
    void noTableWithoutDtpOrAnotherMethod() {
        Map<String, Map<String, SeedStats>> cells = new LinkedHashMap<>();
        cells.put("lenet5 | 0.95", new LinkedHashMap<>(Map.of("dtp", SeedStats.of(0.9, 0.91))));
        cells.put("mlp | 0.95", new LinkedHashMap<>(Map.of("gmp", SeedStats.of(0.9, 0.91))));
        assertThat(SweepCommand.rankingTable(cells)).isEmpty();
    }

    private static Map<String, SeedStats> methods(SeedStats dtp, SeedStats gmp, SeedStats magnitude) {
        Map<String, SeedStats> m = new LinkedHashMap<>();
        m.put("dtp", dtp);
        m.put("gmp", gmp);
        m.put("magnitude", magnitude);
        return m;
    }
}
