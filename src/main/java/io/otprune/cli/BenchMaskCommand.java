package io.otprune.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.otprune.data.Dataset;
import io.otprune.data.Datasets;
import io.otprune.data.ImageSet;
import io.otprune.data.Normalization;
import io.otprune.model.Architectures;
import io.otprune.model.Network;
import io.otprune.prune.PruneConfig;
import io.otprune.prune.PruneUnits;
import io.otprune.prune.UnitSet;
import io.otprune.train.TrainingLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What multiplying a network's weights by a mask costs a training step, before any work on scores: the floor under
 * DTP's cost on weights, which learns a mask per weight and so multiplies every weight by it in the forward pass and
 * forms the mask's gradient in the backward pass (docs/benchmarks.md §12, session 30). Variants, each on a fresh
 * network with the same seed, measured in rounds whose order rotates by one per round:
 * <ul>
 *   <li>{@code no mask}: the plain step;
 *   <li>{@code fixed mask}: the same mask every step, no gradient of its own (one product forward, one backward);
 *   <li>{@code mask leaf}: a fresh copy every step, a leaf of the graph whose gradient is read after the backward pass
 *       (a second product backward);
 *   <li>{@code σ mask leaf}: the mask made by σ every step from a fixed argument, as DTP's host path makes it.
 * </ul>
 */
@Command(name = "mask-product", mixinStandardHelpOptions = true,
        description = "Training step time with the weights multiplied by a mask: none, a fixed one, a graph leaf "
                + "whose gradient is formed, and that leaf made by σ each step (DTP's graph on weights without its "
                + "score work).")
final class BenchMaskCommand implements Callable<Integer> {
    static final String[] VARIANTS = {"no mask", "fixed mask", "mask leaf", "σ mask leaf"};

    @Option(names = "--model", defaultValue = "mlp-300-100", description = "Architecture (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--steps", defaultValue = "40", description = "Measured steps per variant and round (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "10", description = "Warm-up steps (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", defaultValue = "8", description = "Rounds; the figure is the median over rounds of "
            + "each round's median step (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", defaultValue = "target/bench-mask-product.json", description = "JSON output (default ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    Main.CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || steps < 1 || warmup < 0) {
            throw new UsageException("--rounds and --steps must be at least 1, --warmup at least 0");
        }
        Dataset ds = Datasets.load(Datasets.FASHION_SMALL);
        Normalization norm = Normalization.of(ds.train());
        ImageSet train = BenchCommand.samples(ds.train(), (steps + warmup) * batchSize);
        Map<String, List<Double>> roundMedians = new LinkedHashMap<>();
        for (String v : VARIANTS) {
            roundMedians.put(v, new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < VARIANTS.length; k++) {
                String variant = VARIANTS[(k + r) % VARIANTS.length];
                roundMedians.get(variant).add(BenchCommand.median(stepTimes(variant, train, norm)));
            }
        }
        double none = BenchCommand.median(doubles(roundMedians.get(VARIANTS[0])));
        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.printf("%-12s %-14s %10s %10s%n", "model", "variant", "ms/step", "÷ no mask");
        for (String v : VARIANTS) {
            double med = BenchCommand.median(doubles(roundMedians.get(v)));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", model);
            row.put("variant", v);
            row.put("medianMsPerStep", med);
            row.put("ratioToNoMask", med / none);
            row.put("roundMedians", roundMedians.get(v));
            rows.add(row);
            System.out.printf("%-12s %-14s %10.3f %10.3f%n", model, v, med, med / none);
        }
        BenchCommand.writeJson(out, "mask-product", Map.of("batchSize", batchSize, "steps", steps, "warmup", warmup,
                "rounds", rounds), rows);
        return 0;
    }

    private static double[] doubles(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private double[] stepTimes(String variant, ImageSet train, Normalization norm) throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(1);
            Network net = new Network(Architectures.graph(model, 1, 28, 28, 10));
            net.initialize(m);
            io.otprune.train.EngineThreads.applyFor(net.macs(), Device.cpu()); // as a run of this network would
            List<UnitSet> sets = PruneUnits.of(net, PruneConfig.Granularity.UNSTRUCTURED).sets();
            NDArray[] argument = new NDArray[sets.size()];
            NDArray[] fixed = new NDArray[sets.size()];
            for (int j = 0; j < sets.size(); j++) {
                argument[j] = m.randomUniform(-3, 3, sets.get(j).shape());
                fixed[j] = ai.djl.nn.Activation.sigmoid(argument[j]);
            }
            TrainingLoop.StepHook hook = variant.equals("no mask") ? new TrainingLoop.StepHook() {}
                    : new MaskHook(variant, sets, argument, fixed);
            return BenchCommand.stepTimes(net, m, train, norm, batchSize, warmup, steps, hook);
        }
    }

    /** Installs one variant's masks before each forward pass and reads their gradients after the update. */
    private static final class MaskHook implements TrainingLoop.StepHook {
        private final String variant;
        private final List<UnitSet> sets;
        private final NDArray[] argument;
        private final NDArray[] fixed;
        private final NDArray[] current;

        MaskHook(String variant, List<UnitSet> sets, NDArray[] argument, NDArray[] fixed) {
            this.variant = variant;
            this.sets = sets;
            this.argument = argument;
            this.fixed = fixed;
            this.current = new NDArray[sets.size()];
        }

        @Override
        public void beforeForward(NDManager step, int globalStep) {
            for (int j = 0; j < sets.size(); j++) {
                NDArray mask = switch (variant) {
                    case "fixed mask" -> fixed[j].stopGradient(); // a handle on the same memory: no copy
                    case "mask leaf" -> fixed[j].duplicate();
                    default -> ai.djl.nn.Activation.sigmoid(argument[j]);
                };
                // the step's, so that the product with the weights is too and is freed with it (engine trap 2)
                mask.attach(step);
                if (!variant.equals("fixed mask")) {
                    mask.setRequiresGradient(true);
                }
                current[j] = mask;
                sets.get(j).installMask(mask);
            }
        }

        @Override
        public void afterUpdate(NDManager step, int globalStep) {
            if (!variant.equals("fixed mask")) {
                for (NDArray mask : current) {
                    mask.getGradient().close();
                }
            }
        }
    }
}
