package io.otprune.model;

import io.otprune.data.Normalization;
import java.util.List;
import java.util.Map;

/**
 * Contents of a model folder's {@code model.json}: what the weights are, how they were made and how good they are.
 *
 * @param format            version of this file's layout
 * @param architecture      the spec that builds the network (widths say how wide each layer is)
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
        ArchSpec architecture,
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

    public static final int FORMAT = 1;
    public static final String FILE = "model.json";
    public static final String PARAMS_FILE = "model.params";

    /** A copy with the params file's digest filled in. */
    public ModelInfo withParams(String file, String sha256) {
        return new ModelInfo(format, architecture, classNames, dataset, normalization, testAccuracy, testSamples,
                denseTestAccuracy, params, flops, sparsity, trainingCommand, seed, file, sha256, versions, createdAt);
    }
}
