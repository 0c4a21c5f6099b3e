package io.otprune.util;

import java.util.Locale;

/**
 * Mean and sample standard deviation of one figure over seeds, and whether two such figures differ by more than
 * their seeds' spread: how the benchmark tables tell a ranking from noise.
 */
public record SeedStats(double mean, double std, int n) {

    /** Over the given values (one per seed); the deviation is 0 for a single value. */
    public static SeedStats of(double... values) {
        if (values.length == 0) {
            return new SeedStats(Double.NaN, Double.NaN, 0);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new SeedStats(mean, values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0, values.length);
    }

    /**
     * True when the means differ by more than the two deviations together, both over at least two seeds: a
     * difference a different draw of seeds would not be expected to reverse.
     */
    public boolean separatedFrom(SeedStats other) {
        return n >= 2 && other.n >= 2 && Math.abs(mean - other.mean) > std + other.std;
    }

    /** A fraction as percentage points, "91.08 ± 0.06" (without the deviation for one seed). */
    public String points() {
        return n > 1 ? String.format(Locale.ROOT, "%.2f ± %.2f", 100 * mean, 100 * std)
                : String.format(Locale.ROOT, "%.2f", 100 * mean);
    }
}
