package io.otprune.model;

import io.otprune.data.Normalization;
import java.util.List;
import java.util.Map;

/**
 * Contents of a model folder's {@code model.json}: what the network is, how it was made and how good it is. Build
 * one with {@link #builder()} or change one with {@link #toBuilder()}.
 *
 * @param format            version of this file's layout: 2 stores the graph; 1 (older folders) a zoo architecture
 * @param name              what the network is called: a zoo id ({@code resnet20}) or an imported file's name
 * @param graph             the network (format 2; filled in from {@code architecture} when a format-1 file is read)
 * @param architecture      format 1 only: the zoo architecture and its widths (null in files written now)
 * @param classNames        names of the output classes, in label order
 * @param dataset           id of the data set it was trained (or pruned) on
 * @param normalization     pixel normalisation the weights expect
 * @param testAccuracy      accuracy of these weights on the data set's test split, as measured when saved
 * @param testSamples       size of that test split
 * @param denseTestAccuracy accuracy of the dense model this one descends from (equal to testAccuracy for a dense
 *                          model)
 * @param params            trainable parameter count
 * @param flops             multiply-adds per sample
 * @param sparsity          fraction of prunable weights that are zero (0 for a dense model)
 * @param trainingCommand   the command that produced it
 * @param seed              its random seed
 * @param paramsFile        name of the DJL parameter file in the folder
 * @param paramsSha256      SHA-256 of that file, checked on load
 * @param versions          project, DJL, PyTorch and Java versions that wrote it
 * @param createdAt         ISO-8601 time it was written
 */
public record ModelInfo(
        int format,
        String name,
        Graph graph,
        LegacyModel.Architecture architecture,
        List<String> classNames,
        String dataset,
        Normalization normalization,
        double testAccuracy,
        int testSamples,
        double denseTestAccuracy,
        long params,
        long flops,
        double sparsity,
        String trainingCommand,
        long seed,
        String paramsFile,
        String paramsSha256,
        Map<String, String> versions,
        String createdAt) {

    /** The format written now. */
    public static final int FORMAT = 2;
    public static final String FILE = "model.json";
    public static final String PARAMS_FILE = "model.params";

    /** Whether the weights are in the format-1 layout of a zoo architecture's block tree. */
    public boolean legacy() {
        return format == LegacyModel.FORMAT;
    }

    /** A copy with the params file's digest filled in. */
    public ModelInfo withParams(String file, String sha256) {
        return toBuilder().paramsFile(file).paramsSha256(sha256).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.format = format;
        b.name = name;
        b.graph = graph;
        b.architecture = architecture;
        b.classNames = classNames;
        b.dataset = dataset;
        b.normalization = normalization;
        b.testAccuracy = testAccuracy;
        b.testSamples = testSamples;
        b.denseTestAccuracy = denseTestAccuracy;
        b.params = params;
        b.flops = flops;
        b.sparsity = sparsity;
        b.trainingCommand = trainingCommand;
        b.seed = seed;
        b.paramsFile = paramsFile;
        b.paramsSha256 = paramsSha256;
        b.versions = versions;
        b.createdAt = createdAt;
        return b;
    }

    /** Builds a {@link ModelInfo}; {@link #network} sets the graph and the counts that follow from it. */
    public static final class Builder {
        private int format = FORMAT;
        private String name;
        private Graph graph;
        private LegacyModel.Architecture architecture;
        private List<String> classNames;
        private String dataset;
        private Normalization normalization;
        private double testAccuracy;
        private int testSamples;
        private double denseTestAccuracy;
        private long params;
        private long flops;
        private double sparsity;
        private String trainingCommand;
        private long seed;
        private String paramsFile;
        private String paramsSha256;
        private Map<String, String> versions;
        private String createdAt;

        private Builder() {}

        /** The graph, its parameter and multiply-add counts, written now in the current format. */
        public Builder network(Graph g) {
            graph = g;
            params = g.params();
            flops = g.macs();
            format = FORMAT;
            architecture = null;
            return this;
        }

        public Builder name(String v) { name = v; return this; }
        /** The graph alone (a format-1 file read now: format, architecture and counts stay as written). */
        public Builder graph(Graph v) { graph = v; return this; }
        public Builder classNames(List<String> v) { classNames = v; return this; }
        public Builder dataset(String v) { dataset = v; return this; }
        public Builder normalization(Normalization v) { normalization = v; return this; }
        public Builder testAccuracy(double v) { testAccuracy = v; return this; }
        public Builder testSamples(int v) { testSamples = v; return this; }
        public Builder denseTestAccuracy(double v) { denseTestAccuracy = v; return this; }
        public Builder sparsity(double v) { sparsity = v; return this; }
        public Builder trainingCommand(String v) { trainingCommand = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder paramsFile(String v) { paramsFile = v; return this; }
        public Builder paramsSha256(String v) { paramsSha256 = v; return this; }
        public Builder versions(Map<String, String> v) { versions = v; return this; }
        public Builder createdAt(String v) { createdAt = v; return this; }

        public ModelInfo build() {
            return new ModelInfo(format, name, graph, architecture, classNames, dataset, normalization, testAccuracy,
                    testSamples, denseTestAccuracy, params, flops, sparsity, trainingCommand, seed, paramsFile,
                    paramsSha256, versions, createdAt);
        }
    }
}
