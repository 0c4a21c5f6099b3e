package io.otprune.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.otprune.data.Dataset;
import io.otprune.data.DataOptions;
import io.otprune.data.DatasetException;
import io.otprune.data.Datasets;
import io.otprune.data.ImageSet;
import io.otprune.data.ImageShape;
import io.otprune.data.Normalization;
import io.otprune.data.Subsets;
import io.otprune.model.Architectures;
import io.otprune.model.Graph;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import io.otprune.train.Devices;
import io.otprune.train.Evaluation;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import io.otprune.train.StepTrace;
import io.otprune.train.TrainConfig;
import io.otprune.train.TrainingLoop;
import io.otprune.util.Files2;
import io.otprune.util.Json;
import io.otprune.util.ProcessMemory;
import io.otprune.util.Versions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks; each writes its figures as JSON.",
        subcommands = {BenchCommand.Train.class, BenchCommand.Ot.class, BenchCommand.Overhead.class,
                BenchCommand.LatencyCmd.class, BenchOnnxCommand.class, BenchMaskCommand.class, FuzzCommand.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Writes a benchmark's JSON: its name, the given settings, versions, time, and the result rows. */
    static void writeJson(Path out, String benchmark, Map<String, Object> settings, List<Map<String, Object>> rows)
            throws java.io.IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", benchmark);
        doc.putAll(settings);
        doc.put("threads", Runtime.getRuntime().availableProcessors()); // the machine's; each row says its run's (cpuThreads)
        doc.put("versions", Versions.all());
        doc.put("time", Instant.now().toString());
        doc.put("results", rows);
        Files2.writeAtomically(out, Json.PRETTY.toJson(doc) + "\n");
        System.out.println("written " + out.toAbsolutePath());
    }

    /** Wall time of each training step after {@code warmup} steps, in ms, with the given hook. */
    static double[] stepTimes(Network net, NDManager m, ImageSet train, Normalization norm, int batchSize, int warmup,
            int steps, TrainingLoop.StepHook hook) throws Exception {
        double[] ms = new double[steps];
        long[] last = {System.nanoTime()};
        int[] count = {0};
        TrainConfig c = TrainConfig.builder().learningRate(0.01).batchSize(batchSize).stepEventInterval(1).build();
        new TrainingLoop(net, m, train, null, norm, c, e -> {
            if (e instanceof RunEvent.Step) {
                long now = System.nanoTime();
                int k = count[0]++;
                if (k >= warmup && k - warmup < steps) {
                    ms[k - warmup] = (now - last[0]) / 1e6;
                }
                last[0] = now;
            }
        }, new RunControl(), "bench").withHook(hook).run();
        return ms;
    }

    /** A training set of exactly n samples (cycling through the data set). */
    static ImageSet samples(ImageSet set, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i % set.count();
        }
        return set.select(idx);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Training and evaluation throughput: samples/s, median ms per step, peak RSS.")
    static final class Train implements Callable<Integer> {
        static final int TRACED_STEPS = 5;

        @Option(names = "--model", split = ",", defaultValue = "mlp-300-100,lenet5,vgg-small,resnet20",
                description = "Architectures or model folders (an imported ONNX network), comma-separated (default "
                        + "${DEFAULT-VALUE}). A folder's network is trained from fresh weights at its own input shape.")
        List<String> models;

        @Option(names = "--data", defaultValue = "fashion-mnist-small", description = "Data set (default ${DEFAULT-VALUE}).")
        String data;

        @Option(names = "--steps", defaultValue = "60", description = "Measured training steps (default ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "10", description = "Warm-up steps, not measured (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--device", defaultValue = "cpu", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
        String device;

        @Option(names = "--out", defaultValue = "target/bench-train.json", description = "JSON output (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--trace", description = "Also write libtorch's profiler trace (Chrome trace JSON, open in "
                + "chrome://tracing or Perfetto) of " + TRACED_STEPS + " steps run after the measured ones, to this "
                + "file (one model only): where a step's time goes, op by op.")
        Path trace;

        @Mixin
        Main.CommonOptions common;

        @Override
        public Integer call() throws Exception {
            if (steps < 1 || warmup < 0) {
                throw new UsageException("--steps must be >= 1 and --warmup >= 0");
            }
            if (trace != null && models.size() != 1) {
                throw new UsageException("--trace profiles one model: give one --model");
            }
            Device dev = Devices.resolve(device);
            List<Map<String, Object>> rows = new ArrayList<>();
            System.out.printf("%-12s %7s %12s %10s %12s %10s%n", "model", "batch", "train smp/s", "ms/step",
                    "eval smp/s", "peak RSS");
            for (String id : models) {
                Path folder = Path.of(id);
                try {
                    if (Files.isDirectory(folder)) {
                        // the folder's graph, read at its own input shape (grey data repeated and resized to fit)
                        Graph g = ModelStore.readInfo(folder).graph();
                        Dataset ds = Datasets.load(data, DataOptions.DEFAULTS.withShape(
                                new ImageShape(g.inChannels(), g.height(), g.width())), io.otprune.data.ReaderControl.NONE);
                        ds.requireClasses(g.classes(), id);
                        rows.add(measure(folder.getFileName().toString(), g, ds, dev));
                    } else {
                        String arch = Architectures.canonical(id);
                        Dataset ds = Datasets.load(data);
                        rows.add(measure(arch, Architectures.graph(arch, 1, 28, 28, ds.numClasses()), ds, dev));
                    }
                } catch (DatasetException | ModelFormatException e) {
                    throw new UsageException(e.getMessage());
                }
            }
            writeJson(out, "train", Map.of("data", data, "device", dev.toString()), rows);
            return 0;
        }

        private Map<String, Object> measure(String id, Graph graph, Dataset ds, Device dev) throws Exception {
            int traced = trace == null ? 0 : TRACED_STEPS;
            ImageSet train = samples(ds.train(), (steps + warmup + traced) * batchSize);
            Normalization norm = Normalization.of(ds.train());
            double[] ms;
            double evalRate;
            try (NDManager m = NDManager.newBaseManager(dev)) {
                Engine.getInstance().setRandomSeed(1);
                Network net = new Network(graph);
                net.initialize(m);
                io.otprune.train.EngineThreads.applyFor(net.macs(), dev); // as a run of this network would
                ms = stepTimes(net, m, train, norm, batchSize, warmup, steps,
                        trace == null ? new TrainingLoop.StepHook() {} : StepTrace.after(warmup + steps, traced, trace));
                Evaluation.of(net, m, ds.test().select(Subsets.range(Math.min(1000, ds.test().count()))), norm);
                long t0 = System.nanoTime();
                Evaluation ev = Evaluation.of(net, m, ds.test(), norm);
                evalRate = ev.samples() / ((System.nanoTime() - t0) / 1e9);
            }
            double med = median(ms);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", id);
            row.put("batchSize", batchSize);
            row.put("steps", steps);
            row.put("medianMsPerStep", med);
            row.put("cpuThreads", io.otprune.train.EngineThreads.current());
            row.put("trainSamplesPerSecond", batchSize * 1000.0 / med);
            row.put("evalSamplesPerSecond", evalRate);
            row.put("peakRssMiB", ProcessMemory.peakRssMiB());
            System.out.printf("%-12s %7d %12.0f %10.2f %12.0f %8.0f MiB%n", id, batchSize, batchSize * 1000.0 / med,
                    med, evalRate, ProcessMemory.peakRssMiB());
            return row;
        }
    }

    @Command(name = "ot", mixinStandardHelpOptions = true,
            description = "Two-point transport: one Sinkhorn iteration and a converged solve vs a plain pass over the scores.")
    static final class Ot implements Callable<Integer> {
        @Option(names = "--sizes", split = ",", defaultValue = "10000,100000,1000000,10000000",
                description = "Numbers of units (default ${DEFAULT-VALUE}).")
        List<Integer> sizes;

        @Option(names = "--out", defaultValue = "target/bench-ot.json", description = "JSON output (default ${DEFAULT-VALUE}).")
        Path out;

        @Mixin
        Main.CommonOptions common;

        @Override
        public Integer call() throws Exception {
            List<Map<String, Object>> rows = new ArrayList<>();
            System.out.printf("%-10s %-8s %-6s %10s %12s %12s %12s %12s %12s%n", "n", "ε", "path", "pass ms",
                    "1 iter ms", "iter/pass", "solve ms", "solve/pass", "active");
            for (int n : sizes) {
                java.util.SplittableRandom r = new java.util.SplittableRandom(n);
                float[] s = new float[n];
                for (int i = 0; i < n; i++) {
                    s[i] = (float) Math.abs(r.nextGaussian()); // like normalised magnitudes: mean ~0.8
                }
                int reps = n >= 10_000_000 ? 5 : n >= 1_000_000 ? 11 : 31;
                for (double eps : new double[] {0.5, 1e-3}) {
                    double rho = 0.1;
                    double[] pass = new double[reps], iter = new double[reps], solve = new double[reps];
                    io.otprune.ot.TwoPointTransport.Solution sol = null;
                    double sink = 0;
                    for (int k = -2; k < reps; k++) { // two warm-up rounds for the JIT
                        long t0 = System.nanoTime();
                        double sum = 0;
                        for (float v : s) {
                            sum += v;
                        }
                        long t1 = System.nanoTime();
                        double tau = io.otprune.ot.TwoPointTransport.sinkhornStep(0.5,
                                io.otprune.ot.TwoPointTransport.keptMass(s, null, 0.5, eps), rho, eps);
                        long t2 = System.nanoTime();
                        sol = io.otprune.ot.TwoPointTransport.solve(s, null, rho, eps, 1e-12);
                        long t3 = System.nanoTime();
                        sink += sum + tau + sol.tau();
                        if (k >= 0) {
                            pass[k] = (t1 - t0) / 1e6;
                            iter[k] = (t2 - t1) / 1e6;
                            solve[k] = (t3 - t2) / 1e6;
                        }
                    }
                    rows.add(row(n, eps, "java", median(pass), median(iter), median(solve), sol.activeUnits(), sink));
                    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                        ai.djl.ndarray.NDArray sa = m.create(s);
                        double[] npass = new double[reps], niter = new double[reps], nsolve = new double[reps];
                        for (int k = -2; k < reps; k++) {
                            long t0 = System.nanoTime();
                            double sum = sa.sum().getFloat();
                            long t1 = System.nanoTime();
                            double tau = io.otprune.ot.TwoPointTransportND.sinkhornStep(sa, null, 0.5, rho, eps);
                            long t2 = System.nanoTime();
                            double st = io.otprune.ot.TwoPointTransportND.solve(sa, null, rho, eps, 1e-12).tau();
                            long t3 = System.nanoTime();
                            sink += sum + tau + st;
                            if (k >= 0) {
                                npass[k] = (t1 - t0) / 1e6;
                                niter[k] = (t2 - t1) / 1e6;
                                nsolve[k] = (t3 - t2) / 1e6;
                            }
                        }
                        rows.add(row(n, eps, "ndarray", median(npass), median(niter), median(nsolve), n, sink));
                    }
                }
            }
            writeJson(out, "ot", Map.of("rho", 0.1), rows);
            return 0;
        }

        private static Map<String, Object> row(int n, double eps, String path, double pass, double iter, double solve,
                int active, double sink) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", n);
            m.put("epsilon", eps);
            m.put("path", path);
            m.put("plainPassMs", pass);
            m.put("sinkhornIterationMs", iter);
            m.put("iterationOverPass", iter / pass);
            m.put("convergedSolveMs", solve);
            m.put("solveOverPass", solve / pass);
            m.put("activeUnitsInNewton", active);
            System.out.printf("%-10d %-8.0e %-6s %10.3f %12.3f %12.1f %12.3f %12.1f %12d%s%n", n, eps, path, pass, iter,
                    iter / pass, solve, solve / pass, active, sink == 42 ? " " : "");
            return m;
        }
    }

    @Command(name = "overhead", mixinStandardHelpOptions = true,
            description = "Training step time of plain, gmp and dtp (at its defaults: one Sinkhorn iteration, the "
                    + "granularity's τ gradient; with a converged solve; with τ fixed) / plain, same model and batch.")
    static final class Overhead implements Callable<Integer> {
        @Option(names = "--model", split = ",", defaultValue = "lenet5,resnet20", description = "Architectures (default ${DEFAULT-VALUE}).")
        List<String> models;

        @Option(names = "--steps", defaultValue = "60", description = "Measured steps (default ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "10", description = "Warm-up steps (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--granularity", defaultValue = "unstructured",
                description = "unstructured, structured or depth (default ${DEFAULT-VALUE}).")
        String granularity;

        @Option(names = "--budget", defaultValue = "count", description = "count, params or flops (default ${DEFAULT-VALUE}).")
        String budget;

        @Option(names = "--sparsity", defaultValue = "0.9", description = "Sparsity (default ${DEFAULT-VALUE}).")
        double sparsity;

        @Option(names = "--run-steps", defaultValue = "469",
                description = "Length of the run the pruning hooks plan for, in steps: how often they take statistics "
                        + "and recompute masks (default ${DEFAULT-VALUE}: one prune epoch of Fashion-MNIST at batch 128).")
        int runSteps;

        @Option(names = "--rounds", defaultValue = "3", description = "Rounds: each measures every variant once "
                + "(--steps steps after --warmup), in an order rotated by one per round; the medians are over all "
                + "rounds' steps, and the paired ratio is the median over rounds of each round's ratio to gmp. On a "
                + "machine whose speed drifts, many short rounds (e.g. --steps 2 --warmup 1 --rounds 50) keep "
                + "the compared variants close in time (default ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--out", defaultValue = "target/bench-overhead.json", description = "JSON output (default ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--trace", description = "Also write libtorch's profiler trace (Chrome trace JSON) of "
                + Train.TRACED_STEPS + " steps of the DTP variant (one Sinkhorn iteration), run after the measured "
                + "ones, to this file (one model only): which of DTP's ops cost what next to the network's own.")
        Path trace;

        @Mixin
        Main.CommonOptions common;

        @Override
        public Integer call() throws Exception {
            if (trace != null && models.size() != 1) {
                throw new UsageException("--trace profiles one model: give one --model");
            }
            if (rounds < 1) {
                throw new UsageException("--rounds must be at least 1");
            }
            Dataset ds = Datasets.load(Datasets.FASHION_SMALL);
            Normalization norm = Normalization.of(ds.train());
            int traced = trace == null ? 0 : Train.TRACED_STEPS;
            ImageSet train = samples(ds.train(), (steps + warmup + traced) * batchSize);
            List<Map<String, Object>> rows = new ArrayList<>();
            System.out.printf("%-10s %-26s %10s %8s %12s%n", "model", "variant", "ms/step", "ratio", "÷ gmp paired");
            warmUp(models.get(0), train, norm);
            for (String id : models) {
                Map<String, double[]> times = new LinkedHashMap<>();
                Map<String, List<Double>> roundMedians = new LinkedHashMap<>();
                for (String v : VARIANTS) {
                    times.put(v, new double[0]);
                    roundMedians.put(v, new ArrayList<>());
                }
                // each round measures every variant once, in an order rotated by one per round, so that no variant
                // always runs in the same place: the variant measured last had been the fastest (§12)
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < VARIANTS.length; k++) {
                        String variant = VARIANTS[(k + r) % VARIANTS.length];
                        boolean traceThis = trace != null && r == 0 && variant.startsWith("dtp (1");
                        double[] t = variantStepTimes(id, variant, train, norm, traceThis ? trace : null, traced);
                        double[] all = Arrays.copyOf(times.get(variant), times.get(variant).length + t.length);
                        System.arraycopy(t, 0, all, all.length - t.length, t.length);
                        times.put(variant, all);
                        roundMedians.get(variant).add(median(t));
                    }
                }
                double plain = median(times.get("plain"));
                List<Double> gmp = roundMedians.get("gmp");
                for (String variant : VARIANTS) {
                    double med = median(times.get(variant));
                    // each round's median against gmp's in the same round, then the median of those: a machine
                    // whose speed drifts over minutes moves both alike (§12, session 28)
                    double[] paired = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        paired[r] = roundMedians.get(variant).get(r) / gmp.get(r);
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("model", id);
                    row.put("variant", variant);
                    row.put("medianMsPerStep", med);
                    row.put("ratioToPlain", med / plain);
                    row.put("measuredSteps", times.get(variant).length);
                    row.put("cpuThreads", io.otprune.train.EngineThreads.current());
                    row.put("roundMedians", roundMedians.get(variant)); // round r ran variant i in place (i − r) mod 5
                    row.put("pairedRatioToGmp", median(paired));
                    rows.add(row);
                    System.out.printf("%-10s %-26s %10.2f %8.3f %12.3f%n", id, variant, med, med / plain,
                            median(paired));
                }
            }
            writeJson(out, "overhead", Map.of("batchSize", batchSize, "granularity", granularity, "budget", budget,
                    "sparsity", sparsity, "runSteps", runSteps, "rounds", rounds), rows);
            return 0;
        }

        private static final String[] VARIANTS = {"plain", "gmp", "dtp (1 Sinkhorn iteration)", "dtp (converged solve)",
                "dtp (τ fixed)"};

        /** The step times of one variant on a fresh network (the same seed every time), after its warm-up steps. */
        private double[] variantStepTimes(String id, String variant, ImageSet train, Normalization norm, Path traceTo,
                int traced) throws Exception {
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                Engine.getInstance().setRandomSeed(1);
                Network net = new Network(Architectures.graph(id, 1, 28, 28, 10));
                net.initialize(m);
                io.otprune.train.EngineThreads.applyFor(net.macs(), Device.cpu()); // as a run of this network would
                TrainingLoop.StepHook hook = new TrainingLoop.StepHook() {};
                io.otprune.prune.PruneConfig pc = io.otprune.prune.PruneConfig.builder()
                        .method(variant.equals("gmp") ? io.otprune.prune.PruneConfig.Method.GMP
                                : io.otprune.prune.PruneConfig.Method.DTP)
                        .granularity(io.otprune.prune.PruneConfig.parse(
                                io.otprune.prune.PruneConfig.Granularity.class, granularity, "granularity"))
                        .budget(io.otprune.prune.PruneConfig.parse(io.otprune.prune.PruneConfig.Budget.class,
                                budget, "budget")).sparsity(sparsity)
                        .sinkhornIterations(variant.contains("converged") ? 0 : 1)
                        // null: the granularity's default (TauGradient.defaultFor), as a run would use
                        .tauGradient(variant.contains("fixed") ? io.otprune.prune.PruneConfig.TauGradient.FIXED
                                : null).build();
                if (!variant.equals("plain")) {
                    var units = io.otprune.prune.PruneUnits.of(net, pc.granularity());
                    hook = variant.equals("gmp") ? new io.otprune.prune.Baselines.Gmp(units, pc, m, runSteps)
                            : new io.otprune.prune.DtpEngine(units, io.otprune.prune.Problems.build(
                                    units.sets(), pc.budget(), pc.scope(), pc.keptFraction()), pc, m,
                                    runSteps, e -> {});
                }
                if (traceTo != null) {
                    hook = TrainingLoop.StepHook.both(hook, StepTrace.after(warmup + steps, traced, traceTo));
                }
                return stepTimes(net, m, train, norm, batchSize, warmup, steps, hook);
            }
        }

        /**
         * One unrecorded training loop: the first loop of a process ran up to 1.4× slower per step than later ones
         * (mlp-300-100, docs/benchmarks.md §12), which made "plain", measured first, look slower than "gmp".
         */
        private void warmUp(String id, ImageSet train, Normalization norm) throws Exception {
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                Network net = new Network(Architectures.graph(id, 1, 28, 28, 10));
                net.initialize(m);
                stepTimes(net, m, train, norm, batchSize, warmup, steps, new TrainingLoop.StepHook() {});
            }
        }
    }

    @Command(name = "latency", mixinStandardHelpOptions = true,
            description = "CPU inference latency of model folders at batch 1 and 256 (median of --runs after warm-up), and file size.")
    static final class LatencyCmd implements Callable<Integer> {
        @Option(names = "--model", split = ",", required = true, description = "Model folders (measured in alternation).")
        List<Path> models;

        @Option(names = "--runs", defaultValue = "31", description = "Measured runs per batch size (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--out", defaultValue = "target/bench-latency.json", description = "JSON output (default ${DEFAULT-VALUE}).")
        Path out;

        @Mixin
        Main.CommonOptions common;

        @Override
        public Integer call() throws Exception {
            if (runs < 30) {
                throw new UsageException("--runs must be at least 30");
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                Network[] nets = new Network[models.size()];
                for (int i = 0; i < nets.length; i++) {
                    try {
                        nets[i] = io.otprune.model.ModelStore.load(models.get(i), m).network();
                    } catch (io.otprune.model.ModelFormatException e) {
                        throw new UsageException(e.getMessage());
                    }
                }
                double[] b1 = io.otprune.train.Latency.pairedMedianMs(nets, m, 1, runs, 5);
                double[] b256 = io.otprune.train.Latency.pairedMedianMs(nets, m, 256, runs, 3);
                System.out.printf("%-40s %12s %14s %14s %12s%n", "model", "params", "batch 1 ms", "batch 256 ms", "bytes");
                for (int i = 0; i < nets.length; i++) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("model", models.get(i).toString());
                    row.put("params", nets[i].paramCount());
                    row.put("batch1Ms", b1[i]);
                    row.put("batch256Ms", b256[i]);
                    row.put("fileBytes", Files2.sizeOf(models.get(i)));
                    rows.add(row);
                    System.out.printf("%-40s %,12d %14.3f %14.2f %,12d%n", models.get(i), nets[i].paramCount(), b1[i],
                            b256[i], Files2.sizeOf(models.get(i)));
                }
            }
            writeJson(out, "latency", Map.of("runs", runs), rows);
            return 0;
        }
    }
}
