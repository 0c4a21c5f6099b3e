package io.otprune.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The data sets the CLI and the GUI accept, by id: {@code fashion-mnist} (full, from the Debian package),
 * {@code fashion-mnist-small} and {@code mnist-small} (embedded in the application), or a path to a folder whose
 * kind is detected ({@link DataKind}): IDX files, CIFAR-10/100 binary files, or image folders (one per class, under
 * train/ and test/ or all in one folder).
 */
public final class Datasets {
    public static final String FASHION = "fashion-mnist";
    public static final String FASHION_SMALL = "fashion-mnist-small";
    public static final String MNIST_SMALL = "mnist-small";

    /** Where Debian's {@code dataset-fashion-mnist} package installs the IDX files. */
    public static final Path FASHION_SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    public static final List<String> FASHION_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final List<String> DIGIT_CLASSES =
            IntStream.range(0, 10).mapToObj(Integer::toString).toList();

    /** Classpath folder of the embedded subsets (copied from assets/datasets by the build). */
    static final String EMBEDDED_ROOT = "/datasets/";

    private Datasets() {}

    /** What the GUI offers: id, a description, and whether it can be loaded on this machine. */
    public record Choice(String id, String description, boolean available, String hint) {}

    public static List<Choice> choices() {
        boolean full = hasIdxFolder(fashionDir());
        return List.of(
                new Choice(FASHION_SMALL, "Fashion-MNIST subset, 10k train / 2k test (embedded)", true, ""),
                new Choice(MNIST_SMALL, "MNIST digits, 8k train / 2k test (embedded)", true, ""),
                new Choice(FASHION, "Fashion-MNIST, 60k train / 10k test", full,
                        full ? "" : "install it: sudo apt-get install dataset-fashion-mnist"));
    }

    /** Folder of the full Fashion-MNIST: $OTPRUNE_FASHION_MNIST if set, else the Debian package's folder. */
    public static Path fashionDir() {
        String env = System.getenv("OTPRUNE_FASHION_MNIST");
        return env != null && !env.isBlank() ? Path.of(env) : FASHION_SYSTEM_DIR;
    }

    /**
     * The named data sets (not folders, which may change on disk) once read, softly held: a second run, or the
     * window's preload when a data set is chosen, does not decode the IDX files again (full Fashion-MNIST: 55 MB).
     * Shared read-only: runs shuffle index arrays, never the images.
     */
    private static final java.util.Map<String, java.lang.ref.SoftReference<Dataset>> CACHE = new java.util.HashMap<>();

    /**
     * Loads a data set by id or folder path, with the default options (images at the data's own shape).
     *
     * @throws DatasetException with a message that says what is missing and how to get it
     */
    public static Dataset load(String idOrPath) throws DatasetException {
        return load(idOrPath, DataOptions.DEFAULTS, ReaderControl.NONE);
    }

    /**
     * Loads a data set by id or folder path: images brought to {@code options.shape()} when given (a model's
     * input), unreadable images refused or left out, streamed or held in memory. {@code control} ends a long scan of
     * an image folder when the run is cancelled ({@link java.util.concurrent.CancellationException}).
     *
     * @throws DatasetException with a message that says what is wrong and how to fix it, in one line
     */
    public static Dataset load(String idOrPath, DataOptions options, ReaderControl control) throws DatasetException {
        boolean named = idOrPath.equals(FASHION) || idOrPath.equals(FASHION_SMALL) || idOrPath.equals(MNIST_SMALL);
        Dataset d;
        if (named) {
            synchronized (CACHE) { // the window's preload and a run's own load read the files once
                d = cached(idOrPath);
            }
        } else {
            d = read(idOrPath, options, control);
        }
        if (d.kind() == DataKind.IDX && options.shape() != null && !options.shape().equals(d.shape())) {
            d = fitted(d, options.shape());
        }
        if (d.numClasses() < 2) {
            throw new DatasetException(d.id() + ": " + d.numClasses() + " class; a classifier needs at least 2");
        }
        return d;
    }

    /** An in-memory data set brought to another shape (IDX sets used with a model of another input). */
    private static Dataset fitted(Dataset d, ImageShape shape) {
        ImageSet[] out = new ImageSet[2];
        ImageSet[] in = {d.train(), d.test()};
        for (int k = 0; k < 2; k++) {
            byte[] px = new byte[Math.multiplyExact(in[k].count(), shape.bytes())];
            for (int i = 0; i < in[k].count(); i++) {
                ImageFit.fit(java.util.Arrays.copyOfRange(in[k].images(), i * in[k].sampleBytes(),
                        (i + 1) * in[k].sampleBytes()), in[k].shape(), px, i * shape.bytes(), shape);
            }
            out[k] = new ImageSet(px, in[k].labels(), in[k].count(), shape.channels(), shape.height(), shape.width());
        }
        return new Dataset(d.id(), d.description() + ", fitted to " + shape, DataKind.IDX, out[0], out[1],
                d.classNames(), List.of("images fitted from " + d.shape() + " to " + shape));
    }

    /**
     * How many bytes of decoded images are held in memory before a data set is streamed instead: a quarter of the
     * heap ({@code -Dotprune.dataMemoryMiB=N} sets it).
     */
    public static long memoryBudget() {
        String p = System.getProperty("otprune.dataMemoryMiB");
        if (p != null && !p.isBlank()) {
            return Long.parseLong(p.strip()) << 20;
        }
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** The kind of a folder's contents, or null when it is none of the known layouts. */
    public static DataKind detect(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        if (hasIdxFolder(dir)) {
            return DataKind.IDX;
        }
        DataKind cifar = CifarFiles.detect(dir);
        if (cifar != null) {
            return cifar;
        }
        if (Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"))) {
            return DataKind.IMAGE_FOLDERS_SPLIT;
        }
        return ImageFolder.hasClassFolders(dir) ? DataKind.IMAGE_FOLDERS : null;
    }

    private static Dataset cached(String idOrPath) throws DatasetException {
        java.lang.ref.SoftReference<Dataset> ref = CACHE.get(idOrPath);
        Dataset d = ref == null ? null : ref.get();
        if (d == null) {
            d = read(idOrPath, DataOptions.DEFAULTS, ReaderControl.NONE);
            CACHE.put(idOrPath, new java.lang.ref.SoftReference<>(d));
        }
        return d;
    }

    private static Dataset read(String idOrPath, DataOptions options, ReaderControl control)
            throws DatasetException {
        try {
            switch (idOrPath) {
                case FASHION: {
                    Path dir = fashionDir();
                    if (!hasIdxFolder(dir)) {
                        throw new DatasetException("the full Fashion-MNIST is not installed (looked in " + dir
                                + "); install it with 'sudo apt-get install dataset-fashion-mnist', point "
                                + "OTPRUNE_FASHION_MNIST at a folder of its IDX files, or use '" + FASHION_SMALL
                                + "' (embedded)");
                    }
                    return fromFolder(FASHION, "Fashion-MNIST (" + dir + ")", dir, FASHION_CLASSES);
                }
                case FASHION_SMALL:
                    return embedded(FASHION_SMALL, "Fashion-MNIST subset (embedded)", FASHION_CLASSES);
                case MNIST_SMALL:
                    return embedded(MNIST_SMALL, "MNIST digits (embedded)", DIGIT_CLASSES);
                default: {
                    Path dir = Path.of(idOrPath);
                    if (!Files.isDirectory(dir)) {
                        throw new DatasetException("unknown data set '" + idOrPath + "': use " + FASHION + ", "
                                + FASHION_SMALL + ", " + MNIST_SMALL + " or a folder (IDX files, CIFAR .bin files "
                                + "or image folders)");
                    }
                    DataKind kind = detect(dir);
                    if (kind == null) {
                        throw new DatasetException(dir + " has no IDX files (train-images-idx3-ubyte, "
                                + "train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, .gz "
                                + "allowed), no CIFAR files (data_batch_1..5.bin and test_batch.bin, or train.bin and "
                                + "test.bin) and no class folders of images (train/<class>/*, test/<class>/* or "
                                + "<class>/*)");
                    }
                    return switch (kind) {
                        case IDX -> fromFolder(dir.toString(), "IDX folder " + dir, dir, null);
                        case CIFAR10, CIFAR100 -> CifarFiles.load(dir, kind, options);
                        case IMAGE_FOLDERS, IMAGE_FOLDERS_SPLIT -> ImageFolder.load(dir, kind, options, control);
                    };
                }
            }
        } catch (IdxFormatException e) {
            throw new DatasetException(e.getMessage(), e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DatasetException("cannot read data set '" + idOrPath + "': " + e.getMessage(), e);
        }
    }

    static boolean hasIdxFolder(Path dir) {
        return Files.isDirectory(dir)
                && find(dir, "train-images-idx3-ubyte") != null && find(dir, "train-labels-idx1-ubyte") != null
                && find(dir, "t10k-images-idx3-ubyte") != null && find(dir, "t10k-labels-idx1-ubyte") != null;
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base, base.replace("-idx", ".idx")}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Dataset fromFolder(String id, String description, Path dir, List<String> classes)
            throws IdxFormatException, IOException, DatasetException {
        ImageSet train = images(find(dir, "train-images-idx3-ubyte"), find(dir, "train-labels-idx1-ubyte"));
        ImageSet test = images(find(dir, "t10k-images-idx3-ubyte"), find(dir, "t10k-labels-idx1-ubyte"));
        return finish(id, description, train, test, classes);
    }

    private static Dataset embedded(String id, String description, List<String> classes)
            throws IdxFormatException, IOException, DatasetException {
        ImageSet train = images(resource(id, "train-images-idx3-ubyte.gz"), resource(id, "train-labels-idx1-ubyte.gz"));
        ImageSet test = images(resource(id, "t10k-images-idx3-ubyte.gz"), resource(id, "t10k-labels-idx1-ubyte.gz"));
        return finish(id, description, train, test, classes);
    }

    private static IdxFile resource(String id, String file) throws IOException, DatasetException, IdxFormatException {
        String name = EMBEDDED_ROOT + id + "/" + file;
        try (InputStream in = Datasets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new DatasetException("embedded data set file " + name + " is missing from the application "
                        + "(rebuild with 'mvn package', or regenerate with 'otprune data regenerate')");
            }
            return IdxFile.decode("embedded " + name, in.readAllBytes());
        }
    }

    private static ImageSet images(Path imagesFile, Path labelsFile) throws IdxFormatException, IOException {
        return images(IdxFile.read(imagesFile), IdxFile.read(labelsFile), imagesFile.toString(), labelsFile.toString());
    }

    private static ImageSet images(IdxFile im, IdxFile lb) throws IdxFormatException {
        return images(im, lb, "images", "labels");
    }

    private static ImageSet images(IdxFile im, IdxFile lb, String imagesFile, String labelsFile)
            throws IdxFormatException {
        int[] d = im.dims();
        if (d.length != 3) {
            throw new IdxFormatException(imagesFile, "expected 3 dimensions (count, rows, cols), found " + d.length);
        }
        if (lb.dims().length != 1) {
            throw new IdxFormatException(labelsFile, "expected 1 dimension (count), found " + lb.dims().length);
        }
        if (lb.count() != im.count()) {
            throw new IdxFormatException(labelsFile, lb.count() + " labels for " + im.count() + " images in "
                    + imagesFile);
        }
        return new ImageSet(im.data(), lb.data(), d[0], d[1], d[2]);
    }

    private static Dataset finish(String id, String description, ImageSet train, ImageSet test, List<String> classes)
            throws DatasetException {
        int maxLabel = 0;
        for (ImageSet s : new ImageSet[] {train, test}) {
            for (byte b : s.labels()) {
                maxLabel = Math.max(maxLabel, b & 0xff);
            }
        }
        if (train.height() != test.height() || train.width() != test.width()) {
            throw new DatasetException(id + ": training images are " + train.height() + "x" + train.width()
                    + " but test images are " + test.height() + "x" + test.width());
        }
        if (classes == null) {
            classes = IntStream.rangeClosed(0, maxLabel).mapToObj(Integer::toString).toList();
        } else if (maxLabel >= classes.size()) {
            throw new DatasetException(id + ": label " + maxLabel + " out of range for " + classes.size() + " classes");
        }
        return new Dataset(id, description, train, test, classes);
    }
}
