package io.otprune.data;

/**
 * How a run reads its data set, beyond which one it is; written into run.json with the run's config (a field
 * missing from an older run.json means the defaults).
 *
 * @param shape          the shape images are brought to (the model's input); null: the data's own
 * @param onBadImage     unreadable images stop the run before training ({@code FAIL}) or are left out
 * @param loading        decode everything into memory, stream from disk batch by batch, or choose by size
 * @param coarseLabels   CIFAR-100: the 20 superclasses instead of the 100 fine labels
 * @param testFraction   one folder of class folders: the share of each class held out as the test split
 * @param splitSeed      seeds that split (the same seed gives the same test split in train, eval and prune)
 * @param augment        training augmentation: random crop with padding and horizontal flip
 * @param augmentPadding the crop's padding in pixels
 * @param normalization  given normalisation constants for training from scratch; null: measured on the training set
 */
public record DataOptions(ImageShape shape, BadImages onBadImage, Loading loading, boolean coarseLabels,
        double testFraction, long splitSeed, boolean augment, int augmentPadding, Normalization normalization) {

    public enum BadImages { FAIL, SKIP }

    public enum Loading { AUTO, MEMORY, STREAM }

    public static final double DEFAULT_TEST_FRACTION = 0.2;
    public static final long DEFAULT_SPLIT_SEED = 1;

    /** Every option at its default: the data's own shape, stop on a bad image, loading chosen by size, … */
    public static final DataOptions DEFAULTS = builder().build();

    public DataOptions {
        onBadImage = onBadImage == null ? BadImages.FAIL : onBadImage;
        loading = loading == null ? Loading.AUTO : loading;
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0,1), got " + testFraction);
        }
        if (augmentPadding < 0) {
            throw new IllegalArgumentException("augmentation padding must be >= 0, got " + augmentPadding);
        }
    }

    /** The same options bringing images to {@code s} (a model's input). */
    public DataOptions withShape(ImageShape s) {
        return toBuilder().shape(s).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().shape(shape).onBadImage(onBadImage).loading(loading).coarseLabels(coarseLabels)
                .testFraction(testFraction).splitSeed(splitSeed).augment(augment).augmentPadding(augmentPadding)
                .normalization(normalization);
    }

    /** Starts from the defaults (see the fields of the record). */
    public static final class Builder {
        private ImageShape shape;
        private BadImages onBadImage = BadImages.FAIL;
        private Loading loading = Loading.AUTO;
        private boolean coarseLabels;
        private double testFraction = DEFAULT_TEST_FRACTION;
        private long splitSeed = DEFAULT_SPLIT_SEED;
        private boolean augment;
        private int augmentPadding = Augmentation.DEFAULT_PADDING;
        private Normalization normalization;

        private Builder() {}

        public Builder shape(ImageShape v) { shape = v; return this; }
        public Builder onBadImage(BadImages v) { onBadImage = v; return this; }
        public Builder loading(Loading v) { loading = v; return this; }
        public Builder coarseLabels(boolean v) { coarseLabels = v; return this; }
        public Builder testFraction(double v) { testFraction = v; return this; }
        public Builder splitSeed(long v) { splitSeed = v; return this; }
        public Builder augment(boolean v) { augment = v; return this; }
        public Builder augmentPadding(int v) { augmentPadding = v; return this; }
        public Builder normalization(Normalization v) { normalization = v; return this; }

        public DataOptions build() {
            return new DataOptions(shape, onBadImage, loading, coarseLabels, testFraction, splitSeed, augment,
                    augmentPadding, normalization);
        }
    }

    /** The training augmentation these options ask for, seeded with the run's seed. */
    public Augmentation augmentation(long seed) {
        return augment ? Augmentation.cropFlip(augmentPadding, seed) : Augmentation.NONE;
    }

    /** The CLI flags that give these options (defaults and the shape, which comes from the model, left out). */
    public String commandFlags() {
        StringBuilder b = new StringBuilder();
        if (onBadImage != BadImages.FAIL) {
            b.append(" --on-bad-image skip");
        }
        if (loading != Loading.AUTO) {
            b.append(" --data-loading ").append(loading.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (coarseLabels) {
            b.append(" --cifar-labels coarse");
        }
        if (testFraction != DEFAULT_TEST_FRACTION) {
            b.append(" --test-fraction ").append(testFraction);
        }
        if (splitSeed != DEFAULT_SPLIT_SEED) {
            b.append(" --split-seed ").append(splitSeed);
        }
        if (augment) {
            b.append(" --augment --augment-padding ").append(augmentPadding);
        }
        return b.toString();
    }
}
