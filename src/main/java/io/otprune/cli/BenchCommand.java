package io.otprune.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.otprune.data.Dataset;
import io.otprune.data.DatasetException;
import io.otprune.data.Datasets;
import io.otprune.data.ImageSet;
import io.otprune.data.Normalization;
import io.otprune.data.Subsets;
import io.otprune.model.Architectures;
import io.otprune.model.Network;
import io.otprune.train.Devices;
import io.otprune.train.Evaluation;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
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
        subcommands = {BenchCommand.Train.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
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
        @Option(names = "--model", split = ",", defaultValue = "mlp-300-100,lenet5,vgg-small,resnet20",
                description = "Architectures, comma-separated (default ${DEFAULT-VALUE}).")
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

        @Mixin
        Main.CommonOptions common;

        @Override
        public Integer call() throws Exception {
            if (steps < 1 || warmup < 0) {
                throw new UsageException("--steps must be >= 1 and --warmup >= 0");
            }
            Dataset ds;
            try {
                ds = Datasets.load(data);
            } catch (DatasetException e) {
                throw new UsageException(e.getMessage());
            }
            Device dev = Devices.resolve(device);
            List<Map<String, Object>> rows = new ArrayList<>();
            System.out.printf("%-12s %7s %12s %10s %12s %10s%n", "model", "batch", "train smp/s", "ms/step",
                    "eval smp/s", "peak RSS");
            for (String id : models) {
                rows.add(measure(Architectures.canonical(id), ds, dev));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("benchmark", "train");
            doc.put("data", data);
            doc.put("device", dev.toString());
            doc.put("threads", Runtime.getRuntime().availableProcessors());
            doc.put("versions", Versions.all());
            doc.put("time", Instant.now().toString());
            doc.put("results", rows);
            Files2.writeAtomically(out, Json.PRETTY.toJson(doc) + "\n");
            System.out.println("written " + out.toAbsolutePath());
            return 0;
        }

        private Map<String, Object> measure(String id, Dataset ds, Device dev) throws Exception {
            int need = (steps + warmup) * batchSize;
            int[] idx = new int[need];
            for (int i = 0; i < need; i++) {
                idx[i] = i % ds.train().count();
            }
            ImageSet train = ds.train().select(idx);
            Normalization norm = Normalization.of(ds.train());
            double[] ms = new double[steps];
            double evalRate;
            try (NDManager m = NDManager.newBaseManager(dev)) {
                Engine.getInstance().setRandomSeed(1);
                Network net = Architectures.build(Architectures.defaultSpec(id, 1, 28, 28, ds.numClasses()));
                net.initialize(m);
                long[] last = {0};
                int[] count = {0};
                TrainConfig c = new TrainConfig("sgd", 0.01, 0.9, 5e-4, 1, batchSize, 1, 1);
                last[0] = System.nanoTime();
                new TrainingLoop(net, m, train, null, norm, c, e -> {
                    if (e instanceof RunEvent.Step) {
                        long now = System.nanoTime();
                        int k = count[0]++;
                        if (k >= warmup) {
                            ms[k - warmup] = (now - last[0]) / 1e6;
                        }
                        last[0] = now;
                    }
                }, new RunControl(), "bench").run();
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
            row.put("trainSamplesPerSecond", batchSize * 1000.0 / med);
            row.put("evalSamplesPerSecond", evalRate);
            row.put("peakRssMiB", ProcessMemory.peakRssMiB());
            System.out.printf("%-12s %7d %12.0f %10.2f %12.0f %8.0f MiB%n", id, batchSize, batchSize * 1000.0 / med,
                    med, evalRate, ProcessMemory.peakRssMiB());
            return row;
        }
    }
}
