package io.otprune.cli;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * ONNX Runtime latency of .onnx files (a model before and after pruning): each round runs every file once per batch
 * size, in an order that alternates between rounds, so that drift on a shared machine falls on all files alike;
 * the figure is the median per file and batch size.
 */
@Command(name = "onnx", mixinStandardHelpOptions = true,
        description = "ONNX Runtime CPU latency of .onnx files at the given batch sizes, measured in alternation "
                + "(median of --runs after warm-up).")
final class BenchOnnxCommand implements Callable<Integer> {
    @Option(names = "--onnx", split = ",", required = true, description = "The .onnx files (two or more to compare).")
    List<Path> files;

    @Option(names = "--batches", split = ",", defaultValue = "1,64", description = "Batch sizes (default ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--runs", defaultValue = "31", description = "Measured runs per file and batch size (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "5", description = "Unmeasured runs first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0: its default, one per core).")
    int threads;

    @Option(names = "--optimization", defaultValue = "ALL_OPT",
            description = "ONNX Runtime graph optimization level: NO_OPT, BASIC_OPT, EXTENDED_OPT or ALL_OPT (default "
                    + "${DEFAULT-VALUE}; ALL_OPT includes the CPU's blocked NCHWc convolution layout).")
    OrtSession.SessionOptions.OptLevel optimization;

    @Option(names = "--out", defaultValue = "target/bench-onnx.json", description = "JSON output (default ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    Main.CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (runs < 5 || warmup < 0 || batches.stream().anyMatch(b -> b < 1)) {
            throw new UsageException("--runs must be at least 5, --warmup at least 0 and batch sizes positive");
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new UsageException(f + ": no such file");
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OrtSession> sessions = new ArrayList<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                opts.setIntraOpNumThreads(threads);
            }
            opts.setOptimizationLevel(optimization);
            for (Path f : files) {
                try {
                    sessions.add(env.createSession(f.toString(), opts));
                } catch (ai.onnxruntime.OrtException e) {
                    throw new UsageException(f + ": ONNX Runtime cannot load it (" + e.getMessage().replace('\n', ' ')
                            + ")");
                }
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int batch : batches) {
                List<OnnxTensor> inputs = new ArrayList<>();
                for (OrtSession s : sessions) {
                    inputs.add(input(env, s, batch));
                }
                double[][] ms = new double[files.size()][runs];
                for (int round = -warmup; round < runs; round++) {
                    for (int k = 0; k < files.size(); k++) {
                        // forwards on even rounds, backwards on odd ones
                        int i = Math.floorMod(round, 2) == 0 ? k : files.size() - 1 - k;
                        OrtSession s = sessions.get(i);
                        long t0 = System.nanoTime();
                        try (OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), inputs.get(i)))) {
                            if (round >= 0) {
                                ms[i][round] = (System.nanoTime() - t0) / 1e6;
                            }
                        }
                    }
                }
                for (int i = 0; i < files.size(); i++) {
                    double[] sorted = ms[i].clone();
                    Arrays.sort(sorted);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("onnx", files.get(i).toString());
                    row.put("bytes", Files.size(files.get(i)));
                    row.put("batch", batch);
                    row.put("medianMs", sorted[runs / 2]);
                    row.put("minMs", sorted[0]);
                    row.put("maxMs", sorted[runs - 1]);
                    rows.add(row);
                    System.out.printf("%-50s batch %4d  median %9.3f ms  (min %.3f, max %.3f)%n", files.get(i), batch,
                            sorted[runs / 2], sorted[0], sorted[runs - 1]);
                }
                for (OnnxTensor t : inputs) {
                    t.close();
                }
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("runs", runs);
            settings.put("warmup", warmup);
            settings.put("intraOpThreads", threads);
            settings.put("optimization", optimization.name());
            settings.put("onnxruntime", OrtEnvironment.getEnvironment().getVersion());
            BenchCommand.writeJson(out, "onnx", settings, rows);
            return 0;
        } finally {
            for (OrtSession s : sessions) {
                s.close();
            }
        }
    }

    /** Random N(0,1)-ish inputs of the session's input shape, the batch dimension set to {@code batch}. */
    private static OnnxTensor input(OrtEnvironment env, OrtSession s, int batch) throws Exception {
        NodeInfo info = s.getInputInfo().values().iterator().next();
        long[] shape = ((TensorInfo) info.getInfo()).getShape().clone();
        shape[0] = batch;
        for (int d = 1; d < shape.length; d++) {
            if (shape[d] <= 0) {
                throw new UsageException(info.getName() + ": dimension " + d + " is not fixed");
            }
        }
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] x = new float[n];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
    }
}
