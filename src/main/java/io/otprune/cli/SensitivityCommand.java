package io.otprune.cli;

import io.otprune.data.DatasetException;
import io.otprune.model.ModelFormatException;
import io.otprune.prune.PruneConfig;
import io.otprune.run.SensitivityScan;
import io.otprune.train.RunControl;
import io.otprune.util.Files2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sensitivity", mixinStandardHelpOptions = true,
        description = "Per-layer sensitivity: accuracy with only one layer (or channel group) pruned by magnitude, at "
                + "several sparsities, on a seeded subset of the training data; writes FILE.csv and FILE.json (with "
                + "per-layer floors for 'otprune prune --floors'). Saved in the model folder and reused.")
final class SensitivityCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model folder (its weights are never modified).")
    Path model;

    @Option(names = "--data", defaultValue = "fashion-mnist-small", description = "Data set (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--out", required = true, description = "Writes FILE.csv and FILE.json.")
    Path out;

    @Option(names = "--granularity", defaultValue = "unstructured",
            description = "unstructured (per layer) or structured (per channel group) (default ${DEFAULT-VALUE}).")
    String granularity;

    @Option(names = "--sparsities", defaultValue = "0.3,0.4,0.5,0.6,0.7,0.8,0.9,0.95",
            description = "Increasing sparsities in (0, 1), comma-separated (default ${DEFAULT-VALUE}).")
    String sparsities;

    @Option(names = "--subset", defaultValue = "1000",
            description = "Training images evaluated (default ${DEFAULT-VALUE}); never the test set.")
    int subset;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the subset (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tolerance", defaultValue = "1",
            description = "Accuracy drop in points the floors in FILE.json tolerate (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
    String device;

    @Mixin
    Main.CommonOptions common;

    SensitivityScan.Settings settings() {
        List<Double> sp = new ArrayList<>();
        for (String w : sparsities.split(",")) {
            try {
                sp.add(Double.parseDouble(w.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("--sparsities: '" + w.trim() + "' is not a number");
            }
        }
        if (!(tolerance >= 0)) {
            throw new UsageException("--tolerance must be >= 0 points, got " + tolerance);
        }
        try {
            return SensitivityScan.Settings.builder().data(data)
                    .granularity(PruneConfig.parse(PruneConfig.Granularity.class, granularity, "granularity"))
                    .subset(subset).seed(seed).sparsities(sp).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        SensitivityScan.Settings settings = settings();
        String base = out.toString().replaceFirst("\\.(csv|json)$", "");
        RunControl control = new RunControl();
        Runtime.getRuntime().addShutdownHook(new Thread(control::cancel));
        SensitivityScan.Result r;
        try {
            r = SensitivityScan.scan(model, settings, device, Progress::print, control);
        } catch (ModelFormatException | DatasetException | UnsupportedOperationException
                | IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Files2.writeAtomically(Path.of(base + ".csv"), r.csv());
        Files2.writeAtomically(Path.of(base + ".json"), r.json(tolerance));
        System.out.println(table(r, tolerance));
        System.out.println("wrote " + Path.of(base + ".csv").toAbsolutePath() + " and "
                + Path.of(base + ".json").toAbsolutePath());
        return 0;
    }

    /** Drop in points per set and sparsity, and the floor at the tolerance. */
    static String table(SensitivityScan.Result r, double tolerance) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "dense accuracy %.2f%% on %d training images; accuracy drop in points%n%-28s", 100 * r.dense(),
                r.images(), "set"));
        for (double s : r.settings().sparsities()) {
            b.append(String.format(Locale.ROOT, "%7s", s));
        }
        b.append(String.format(Locale.ROOT, "  floor (±%s)%n", tolerance));
        var floors = r.floors(tolerance);
        for (int i = 0; i < r.rows().size(); i++) {
            b.append(String.format(Locale.ROOT, "%-28s", r.rows().get(i).set()));
            for (int k = 0; k < r.settings().sparsities().size(); k++) {
                b.append(String.format(Locale.ROOT, "%7.2f", r.dropPoints(i, k)));
            }
            b.append(String.format(Locale.ROOT, "  %s%n", floors.get(r.rows().get(i).set())));
        }
        return b.toString().stripTrailing();
    }
}
