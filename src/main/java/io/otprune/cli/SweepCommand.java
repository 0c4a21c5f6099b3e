package io.otprune.cli;

import io.otprune.model.ModelStore;
import io.otprune.prune.PruneConfig;
import io.otprune.prune.PruneMethod;
import io.otprune.run.PruneRun;
import io.otprune.run.PruneRunConfig;
import io.otprune.run.PruneSummary;
import io.otprune.run.RunHistory;
import io.otprune.train.RunControl;
import io.otprune.util.Files2;
import io.otprune.util.SeedStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a grid of pruning runs (models x methods x sparsities x seeds); write results.csv and results.md.")
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--models", split = ",", required = true, description = "Model folders, comma-separated.")
    List<Path> models;

    @Option(names = "--methods", split = ",", defaultValue = "dtp,gmp,magnitude,random", description = "Methods (default ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--sparsities", split = ",", required = true, description = "Sparsities, comma-separated.")
    List<Double> sparsities;

    @Option(names = "--seeds", split = ",", defaultValue = "1", description = "Seeds (default ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--data", defaultValue = "fashion-mnist-small", description = "Data set (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--granularity", defaultValue = "unstructured", description = "Granularity (default ${DEFAULT-VALUE}).")
    String granularity;

    @Option(names = "--budget", defaultValue = "count", description = "Budget (default ${DEFAULT-VALUE}).")
    String budget;

    @Option(names = "--scope", defaultValue = "global", description = "Scope (default ${DEFAULT-VALUE}).")
    String scope;

    @Option(names = "--temperature", defaultValue = "auto", description = "auto or schedule (default ${DEFAULT-VALUE}).")
    String temperature;

    @Option(names = "--sinkhorn-iterations", defaultValue = "1", description = "1, or 0 for converged (default ${DEFAULT-VALUE}).")
    int sinkhornIterations;

    @Option(names = "--score-lr", description = "Adam learning rate of DTP's scores (default: the prune command's).")
    Double scoreLr;

    @Option(names = "--score-step", description = "DTP: unit or set (see prune --help; default: " + PruneConfig.SCORE_STEP_DEFAULT_TEXT + ").")
    String scoreStep;

    @Option(names = "--tau-gradient", description = "DTP: fixed or implicit (see prune --help; default: " + PruneConfig.TAU_GRADIENT_DEFAULT_TEXT + ").")
    String tauGradient;

    @Option(names = "--prune-epochs", defaultValue = "2", description = "Prune epochs (default ${DEFAULT-VALUE}).")
    int pruneEpochs;

    @Option(names = "--finetune-epochs", defaultValue = "1", description = "Fine-tune epochs (default ${DEFAULT-VALUE}).")
    int finetuneEpochs;

    @Option(names = "--lr", defaultValue = "0.01", description = "Weight learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--label", defaultValue = "", description = "Extra column value identifying this sweep in the table.")
    String label;

    @Option(names = "--out", required = true, description = "Folder for the runs and the result tables.")
    Path out;

    @Option(names = "--force", description = "Reuse an existing output folder: finished runs made with the same settings are kept and skipped, and the tables hold every such run in it.")
    boolean force;

    @Mixin
    Main.CommonOptions common;

    record Row(Path dir, String model, String method, double target, long seed, PruneSummary sum) {
        double dense() { return sum.denseAccuracy(); }
        double finalAcc() { return sum.finalAccuracy(); }
        double achieved() { return sum.achievedSparsity(); }
        double gap() { return sum.hardeningGap(); }
        double sharpness() { return sum.maskSharpnessAtHardening(); }
        double minutes() { return sum.seconds() / 60; }
    }

    @Override
    public Integer call() throws Exception {
        if (!force && !Files2.isAbsentOrEmptyDir(out)) {
            throw new UsageException("output folder " + out + " exists and is not empty (pass --force to resume)");
        }
        for (double s : sparsities) {
            if (!(s >= 0 && s < 1)) {
                throw new UsageException("sparsities must be in [0, 1), got " + s);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Path model : models) {
            String name = ModelStore.readInfo(model).name();
            for (String method : methods) {
                for (double s : sparsities) {
                    for (long seed : seeds) {
                        Path dir = out.resolve(String.format(Locale.ROOT, "%s-%s-%s-s%d", model.getFileName(), method,
                                s, seed));
                        PruneSummary sum = dir.resolve("summary.json").toFile().exists()
                                ? finished(dir, config(model.toString(), method, s, seed))
                                : run(model, method, s, seed, dir);
                        rows.add(new Row(dir, name, PruneConfig.word(config(model.toString(), method, s, seed)
                                .prune().method()), s, seed, sum));
                        System.out.printf(Locale.ROOT, "%-12s %-9s %.2f seed %d: final %.2f%% (dense %.2f%%), achieved %.6f, gap %+.2f%n",
                                name, method, s, seed, 100 * sum.finalAccuracy(), 100 * sum.denseAccuracy(),
                                sum.achievedSparsity(), 100 * sum.hardeningGap());
                    }
                }
            }
        }
        List<Path> otherSettings = new ArrayList<>();
        int earlier = addEarlierRuns(rows, otherSettings);
        if (earlier > 0) {
            System.out.println("the tables also hold " + earlier + " finished run(s) of earlier sweeps in " + out
                    + " with the same settings");
        }
        if (!otherSettings.isEmpty()) {
            System.out.println("left out of the tables (other settings than this sweep's): " + otherSettings.stream()
                    .map(d -> d.getFileName().toString()).sorted().toList());
        }
        rows.sort(java.util.Comparator.comparing(Row::model)
                .thenComparing(r -> PruneConfig.Method.valueOf(r.method().toUpperCase(Locale.ROOT).replace('-', '_')))
                .thenComparingDouble(Row::target).thenComparingLong(Row::seed));
        writeTables(rows);
        System.out.println("written " + out.resolve("results.csv") + " and " + out.resolve("results.md"));
        return 0;
    }

    private PruneSummary run(Path model, String method, double s, long seed, Path dir) throws Exception {
        return PruneRun.execute(config(model.toString(), method, s, seed), dir, true, e -> {}, new RunControl());
    }

    /** A finished run kept by --force, refused when it was made with other settings than this sweep's. */
    private static PruneSummary finished(Path dir, PruneRunConfig ours) throws Exception {
        if (!settings(RunHistory.config(dir)).equals(settings(ours))) {
            throw new UsageException(dir + " holds a finished run with other settings than this sweep's (epochs, "
                    + "data, learning rate or pruning options); give the sweep another --out");
        }
        return io.otprune.util.Json.PRETTY.fromJson(Files.readString(dir.resolve("summary.json")), PruneSummary.class);
    }

    /** The run this sweep makes of one model, method, sparsity and seed. */
    private PruneRunConfig config(String model, String method, double s, long seed) {
        try {
            PruneConfig.Builder b = PruneConfig.builder().method(method).granularity(granularity).budget(budget)
                    .scope(scope).sparsity(s).temperature(temperature).sinkhornIterations(sinkhornIterations)
                    .scoreStep(scoreStep).tauGradient(tauGradient);
            PruneConfig pc = (scoreLr == null ? b : b.scoreLearningRate(scoreLr)).build();
            return PruneRunConfig.builder().model(model).data(data).prune(pc).pruneEpochs(pruneEpochs)
                    .finetuneEpochs(finetuneEpochs).learningRate(lr).seed(seed).device(device).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * A protocol runs in parts (a method or a seed at a time, into one folder with --force), so the tables hold every
     * finished run in the output folder that this sweep would have made the same way: same data, pruning settings
     * other than method and sparsity, epochs, learning rate, batch size and data options, whatever its model,
     * method, sparsity and seed. The device and the recorded command line do not count. Folders of other settings
     * are named in {@code otherSettings} and left out. Returns how many runs were added.
     */
    private int addEarlierRuns(List<Row> rows, List<Path> otherSettings) throws Exception {
        java.util.Set<Path> have = new java.util.HashSet<>();
        rows.forEach(r -> have.add(r.dir().toAbsolutePath().normalize()));
        int added = 0;
        for (RunHistory.Entry e : RunHistory.scan(out).runs()) {
            if (!have.add(e.dir().toAbsolutePath().normalize())) {
                continue;
            }
            PruneRunConfig theirs = RunHistory.config(e.dir());
            PruneRunConfig ours = config(theirs.model(), PruneConfig.word(theirs.prune().method()),
                    theirs.prune().sparsity(), theirs.seed());
            if (!settings(theirs).equals(settings(ours))) {
                otherSettings.add(e.dir());
                continue;
            }
            rows.add(new Row(e.dir(), modelName(Path.of(theirs.model())), PruneConfig.word(theirs.prune().method()),
                    theirs.prune().sparsity(), theirs.seed(), e.summary()));
            added++;
        }
        return added;
    }

    /**
     * A run's settings: its config without what the folder's name already says or what does not change its
     * result's meaning (the model's path as typed, the device, the recorded command, pruning settings its method
     * does not read).
     */
    private static PruneRunConfig settings(PruneRunConfig c) {
        return new PruneRunConfig(null, c.data(), c.prune().asRead(), c.pruneEpochs(), c.finetuneEpochs(),
                c.learningRate(), c.batchSize(), c.seed(), null, null, c.dataOptions());
    }

    /** The model's name from its info, or its folder's name when the folder is gone or unreadable. */
    private static String modelName(Path model) {
        try {
            return ModelStore.readInfo(model).name();
        } catch (Exception e) {
            return model.getFileName().toString();
        }
    }

    private void writeTables(List<Row> rows) throws Exception {
        StringBuilder csv = new StringBuilder("label,model,method,targetSparsity,seed,denseAccuracy,finalAccuracy,"
                + "achievedSparsity,hardeningGap,sharpnessAtHardening,minutes,budget,achievedParamSparsity,"
                + "achievedFlopSparsity,paramsBefore,paramsAfter,flopsBefore,flopsAfter,compactMaxAbsDiff,"
                + "batch1MsBefore,batch1MsAfter,batch256MsBefore,batch256MsAfter,fileBytesBefore,fileBytesAfter,"
                + "depthBefore,depthAfter,layersBefore,layersAfter,removed\n");
        for (Row r : rows) {
            PruneSummary m = r.sum();
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%.4f,%.4f,%.8f,%.4f,%.4f,%.2f,%s,%.8f,%.8f,%d,%d,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s%n",
                    label, r.model(), r.method(), r.target(), r.seed(), r.dense(), r.finalAcc(), r.achieved(), r.gap(),
                    r.sharpness(), r.minutes(), m.budget(), m.achievedParamSparsity(), m.achievedFlopSparsity(),
                    m.paramsBefore(), m.paramsAfter(), m.flopsBefore(), m.flopsAfter(), orEmpty(m.compactMaxAbsDiff()),
                    m.speedBefore() == null ? "" : m.speedBefore().batch1Ms(),
                    m.speedAfter() == null ? "" : m.speedAfter().batch1Ms(),
                    m.speedBefore() == null ? "" : m.speedBefore().batch256Ms(),
                    m.speedAfter() == null ? "" : m.speedAfter().batch256Ms(),
                    m.speedBefore() == null ? "" : m.speedBefore().fileBytes(),
                    m.speedAfter() == null ? "" : m.speedAfter().fileBytes(),
                    m.structure() == null ? "" : m.structure().depthBefore(),
                    m.structure() == null ? "" : m.structure().depthAfter(),
                    m.structure() == null ? "" : m.structure().layersBefore(),
                    m.structure() == null ? "" : m.structure().layersAfter(),
                    m.structure() == null ? "" : String.join(";", m.structure().removed())));
        }
        Files2.writeAtomically(out.resolve("results.csv"), csv.toString());
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(r.model() + "|" + r.method() + "|" + r.target(), k -> new ArrayList<>()).add(r);
        }
        StringBuilder md = new StringBuilder();
        // the score settings are said apart: only a method that learns scores reads them (PruneConfig.asRead), so
        // a gmp row next to dtp rows was not made with them
        md.append(String.format(Locale.ROOT, "Data %s, %s %s budget, %s scope, %d+%d epochs (prune+fine-tune); "
                + "for methods that learn scores (%s), temperature %s, score learning rate %s, score step %s, "
                + "tau gradient %s. Every finished run in this folder with these settings; means over each row's seeds "
                + "(± their sample standard deviation).%n%n", data, granularity, budget, scope, pruneEpochs,
                finetuneEpochs, String.join(", ", Arrays.stream(PruneConfig.Method.values())
                        .filter(m -> PruneMethod.of(m).learnsScores()).map(PruneConfig::word).toList()), temperature,
                scoreLr == null ? PruneConfig.builder().build().scoreLearningRate() : scoreLr,
                scoreStep == null ? "default (" + PruneConfig.SCORE_STEP_DEFAULT_TEXT + ")" : scoreStep,
                tauGradient == null ? "default (" + PruneConfig.TAU_GRADIENT_DEFAULT_TEXT + ")" : tauGradient));
        md.append("| model | method | target | seeds | dense acc | final acc | Δ vs dense | achieved | hardening gap | min |\n");
        md.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (List<Row> g : groups.values()) {
            Row f = g.get(0);
            double dense = g.stream().mapToDouble(Row::dense).average().orElse(Double.NaN);
            SeedStats fin = SeedStats.of(g.stream().mapToDouble(Row::finalAcc).toArray());
            SeedStats loss = SeedStats.of(g.stream().mapToDouble(r -> r.finalAcc() - r.dense()).toArray());
            double ach = g.stream().mapToDouble(Row::achieved).average().orElse(Double.NaN);
            double gap = g.stream().mapToDouble(Row::gap).average().orElse(Double.NaN);
            double min = g.stream().mapToDouble(Row::minutes).average().orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %.2f | %s | %s%s | %.6f | %+.2f | %.1f |%n",
                    f.model(), f.method(), f.target(),
                    String.join(",", g.stream().map(r -> Long.toString(r.seed())).toList()), 100 * dense, fin.points(), loss.mean() >= 0 ? "+" : "",
                    loss.points(), ach, 100 * gap, min));
        }
        Map<String, Map<String, SeedStats>> cells = new LinkedHashMap<>();
        for (List<Row> g : groups.values()) {
            Row f = g.get(0);
            cells.computeIfAbsent(String.format(Locale.ROOT, "%s | %.2f", f.model(), f.target()),
                    k -> new LinkedHashMap<>()).put(f.method(), SeedStats.of(g.stream().mapToDouble(Row::finalAcc).toArray()));
        }
        md.append(rankingTable(cells));
        if (!granularity.startsWith("unstructured")) {
            md.append(compactTable(groups));
        }
        Files2.writeAtomically(out.resolve("results.md"), md.toString());
    }

    /** The structured runs' compact models: achieved sparsities, depth, size and latency, means over seeds. */
    private static String compactTable(Map<String, List<Row>> groups) {
        StringBuilder md = new StringBuilder();
        md.append("\nCompact models: achieved sparsities, depth (weighted layers on the longest path), size and "
                + "CPU latency (median ms) before → after, means over seeds.\n\n");
        md.append("| model | method | target | param sp. | FLOP sp. | depth | params after | file KiB before → after "
                + "| batch 1 ms | batch 256 ms | b256 speed-up | compact max diff |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (List<Row> g : groups.values()) {
            Row f = g.get(0);
            md.append(String.format(Locale.ROOT,
                    "| %s | %s | %.2f | %.4f | %.4f | %s | %,.0f | %,.0f → %,.0f | %.2f → %.2f | %.1f → %.1f | %.2f× | %.1e |%n",
                    f.model(), f.method(), f.target(),
                    mean(g, m -> m.achievedParamSparsity()), mean(g, m -> m.achievedFlopSparsity()),
                    f.sum().structure() == null ? "" : String.format(Locale.ROOT, "%d → %.1f",
                            f.sum().structure().depthBefore(), mean(g, m -> m.structure().depthAfter())),
                    mean(g, m -> m.paramsAfter()),
                    mean(g, m -> m.speedBefore() == null ? Double.NaN : m.speedBefore().fileBytes() / 1024.0),
                    mean(g, m -> m.speedAfter() == null ? Double.NaN : m.speedAfter().fileBytes() / 1024.0),
                    mean(g, m -> m.speedBefore() == null ? Double.NaN : m.speedBefore().batch1Ms()),
                    mean(g, m -> m.speedAfter() == null ? Double.NaN : m.speedAfter().batch1Ms()),
                    mean(g, m -> m.speedBefore() == null ? Double.NaN : m.speedBefore().batch256Ms()),
                    mean(g, m -> m.speedAfter() == null ? Double.NaN : m.speedAfter().batch256Ms()),
                    mean(g, m -> m.speedAfter() == null ? Double.NaN
                            : m.speedBefore().batch256Ms() / m.speedAfter().batch256Ms()),
                    g.stream().map(Row::sum).map(PruneSummary::compactMaxAbsDiff)
                            .mapToDouble(d -> d == null ? Double.NaN : d).max().orElse(Double.NaN)));
        }
        return md.toString();
    }

    /**
     * Per cell ("model | target"), DTP against the best other method by mean final accuracy, and whether the
     * difference exceeds the seeds' spread ({@link SeedStats#separatedFrom}); empty when DTP or every other method
     * is missing from the sweep.
     */
    static String rankingTable(Map<String, Map<String, SeedStats>> cells) {
        StringBuilder md = new StringBuilder();
        for (Map.Entry<String, Map<String, SeedStats>> cell : cells.entrySet()) {
            SeedStats dtp = cell.getValue().get("dtp");
            Map.Entry<String, SeedStats> best = cell.getValue().entrySet().stream()
                    .filter(e -> !e.getKey().equals("dtp"))
                    .max(java.util.Comparator.comparingDouble(e -> e.getValue().mean())).orElse(null);
            if (dtp == null || best == null) {
                continue;
            }
            if (md.length() == 0) {
                md.append("\nDTP against the best other method in each cell (final accuracy; a difference counts "
                        + "when it exceeds the two standard deviations together).\n\n");
                md.append("| model | target | dtp | best other | its acc | dtp − best | verdict |\n");
                md.append("|---|---:|---:|---|---:|---:|---|\n");
            }
            double diff = dtp.mean() - best.getValue().mean();
            String verdict = !dtp.separatedFrom(best.getValue()) ? "within the seed spread"
                    : diff > 0 ? "DTP leads" : "DTP behind";
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %+.2f | %s |%n", cell.getKey(), dtp.points(),
                    best.getKey(), best.getValue().points(), 100 * diff, verdict));
        }
        return md.toString();
    }

    private static double mean(List<Row> g, java.util.function.ToDoubleFunction<PruneSummary> f) {
        return g.stream().map(Row::sum).mapToDouble(f).average().orElse(Double.NaN);
    }

    private static String orEmpty(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.3e", d);
    }
}
