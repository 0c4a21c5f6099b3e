package io.otprune.cli;

import io.otprune.data.DataOptions;
import io.otprune.data.Normalization;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** How a command reads its data set: the options train, eval, prune and data info share. */
final class DataFlags {
    @Option(names = "--on-bad-image", defaultValue = "fail",
            description = "Unreadable or truncated images: fail (stop before training, naming them) or skip (leave them out). Default ${DEFAULT-VALUE}.")
    String onBadImage;

    @Option(names = "--data-loading", defaultValue = "auto",
            description = "memory (decode once, hold), stream (decode batch by batch on the loader thread) or auto (stream what exceeds a quarter of the heap). Default ${DEFAULT-VALUE}.")
    String loading;

    @Option(names = "--cifar-labels", defaultValue = "fine", description = "CIFAR-100: fine (100 classes) or coarse (20). Default ${DEFAULT-VALUE}.")
    String cifarLabels;

    @Option(names = "--test-fraction", defaultValue = "0.2",
            description = "One folder of class folders: share of each class held out for testing (default ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--split-seed", defaultValue = "1",
            description = "Seed of that split; use the same one in train, eval and prune (default ${DEFAULT-VALUE}).")
    long splitSeed;

    /** The options, without augmentation or given normalisation (see {@link TrainingFlags}). */
    DataOptions options() {
        DataOptions.BadImages bad = switch (onBadImage) {
            case "fail" -> DataOptions.BadImages.FAIL;
            case "skip" -> DataOptions.BadImages.SKIP;
            default -> throw new UsageException("--on-bad-image must be fail or skip, got '" + onBadImage + "'");
        };
        DataOptions.Loading load = switch (loading) {
            case "auto" -> DataOptions.Loading.AUTO;
            case "memory" -> DataOptions.Loading.MEMORY;
            case "stream" -> DataOptions.Loading.STREAM;
            default -> throw new UsageException("--data-loading must be auto, memory or stream, got '" + loading + "'");
        };
        if (!cifarLabels.equals("fine") && !cifarLabels.equals("coarse")) {
            throw new UsageException("--cifar-labels must be fine or coarse, got '" + cifarLabels + "'");
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new UsageException("--test-fraction must be in (0, 1), got " + testFraction);
        }
        return DataOptions.builder().onBadImage(bad).loading(load).coarseLabels(cifarLabels.equals("coarse"))
                .testFraction(testFraction).splitSeed(splitSeed).build();
    }

    /** Training-only data options: augmentation and given normalisation constants. */
    static final class TrainingFlags {
        @Option(names = "--augment", description = "Augment training batches: random crop with padding and horizontal flip, seeded by --seed.")
        boolean augment;

        @Option(names = "--augment-padding", defaultValue = "4", description = "Padding of the random crop in pixels (default ${DEFAULT-VALUE}).")
        int augmentPadding;

        @Option(names = "--norm-mean", split = ",", description = "Given per-channel means (e.g. 0.49,0.48,0.45) instead of measuring them on the training set.")
        List<Double> normMean;

        @Option(names = "--norm-std", split = ",", description = "Given per-channel standard deviations (with --norm-mean).")
        List<Double> normStd;

        DataOptions apply(DataOptions o) {
            if (augmentPadding < 0) {
                throw new UsageException("--augment-padding must be >= 0, got " + augmentPadding);
            }
            Normalization norm = null;
            if (normMean != null || normStd != null) {
                if (normMean == null || normStd == null) {
                    throw new UsageException("--norm-mean and --norm-std go together");
                }
                try {
                    norm = new Normalization(normMean.stream().mapToDouble(Double::doubleValue).toArray(),
                            normStd.stream().mapToDouble(Double::doubleValue).toArray());
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            }
            return o.toBuilder().augment(augment).augmentPadding(augmentPadding).normalization(norm).build();
        }

        String commandFlags() {
            return normMean == null ? "" : " --norm-mean " + join(normMean) + " --norm-std " + join(normStd);
        }

        private static String join(List<Double> v) {
            return String.join(",", v.stream().map(String::valueOf).toList());
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(new Object[] {onBadImage, loading, cifarLabels, testFraction, splitSeed});
    }
}
