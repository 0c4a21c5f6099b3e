package io.otprune.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Data sets as folders of images, one folder per class: {@code ROOT/train/<class>/*} and {@code ROOT/test/<class>/*},
 * or {@code ROOT/<class>/*} split into train and test per class by a seeded fraction. Class names are the folder
 * names, sorted. Files are PNG, JPEG, BMP or GIF (what Java's ImageIO reads without natives), of any size, grey or
 * colour; every image is brought to one {@link ImageShape} by {@link ImageFit}.
 *
 * <p>Loading decodes every image once, before any training: unreadable and truncated files are found then (and
 * named), the normalisation statistics are counted, and the pixels are kept when the set fits in memory; a larger
 * set is streamed (decoded again batch by batch on the loader thread).
 */
public final class ImageFolder {
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
    /** How many bad files a refusal names (the rest are counted). */
    static final int NAMED = 3;
    /** Labels are held in bytes. */
    static final int MAX_CLASSES = 256;

    private ImageFolder() {}

    /**
     * Writes a data set as PNG files, {@code root/train/<class>/<n>.png} and {@code root/test/<class>/<n>.png},
     * at its own shape (grey stays grey). Class folders are named {@code <label>_<name>} with the label zero-padded,
     * so that sorting the folder names (how they are read back) gives the original label order.
     */
    public static List<Path> writePng(Path root, Dataset d) throws IOException {
        List<Path> folders = new ArrayList<>();
        int digits = Integer.toString(d.numClasses() - 1).length();
        for (String split : List.of("train", "test")) {
            LabelledImages set = split.equals("train") ? d.trainImages() : d.testImages();
            List<Path> classDirs = new ArrayList<>();
            for (int c = 0; c < d.numClasses(); c++) {
                String name = String.format(Locale.ROOT, "%0" + digits + "d_%s", c,
                        d.classNames().get(c).replaceAll("[^A-Za-z0-9._ -]", "-"));
                classDirs.add(Files.createDirectories(root.resolve(split).resolve(name)));
            }
            ImageShape s = set.shape();
            byte[] px = new byte[s.bytes()];
            for (int i = 0; i < set.count(); i++) {
                set.read(i, px, 0);
                BufferedImage img = new BufferedImage(s.width(), s.height(),
                        s.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
                if (s.channels() == 1) {
                    img.getRaster().setDataElements(0, 0, s.width(), s.height(), px);
                } else {
                    int plane = s.plane();
                    for (int p = 0; p < plane; p++) {
                        img.setRGB(p % s.width(), p / s.width(), (px[p] & 0xff) << 16
                                | (px[plane + p] & 0xff) << 8 | (px[2 * plane + p] & 0xff));
                    }
                }
                Path f = classDirs.get(set.label(i)).resolve(String.format(Locale.ROOT, "%05d.png", i));
                if (!ImageIO.write(img, "png", f.toFile())) {
                    throw new IOException("no PNG writer in this Java runtime");
                }
            }
            folders.add(root.resolve(split));
        }
        return folders;
    }

    /** Folder names under {@code dir} that hold at least a file, sorted (hidden ones left out). */
    static List<String> classFolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    static boolean isImageFile(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return !n.startsWith(".") && dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT))
                && Files.isRegularFile(p);
    }

    static List<Path> imageFiles(Path classDir) throws IOException {
        try (Stream<Path> s = Files.list(classDir)) {
            return s.filter(ImageFolder::isImageFile).sorted().toList();
        }
    }

    /** True when {@code dir} has class folders holding image files directly. */
    static boolean hasClassFolders(Path dir) {
        try {
            for (String c : classFolders(dir)) {
                if (!imageFiles(dir.resolve(c)).isEmpty()) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Files and labels of one split. */
    record Split(List<Path> files, int[] labels) {
        int count() {
            return files.size();
        }

        Split select(int[] idx) {
            List<Path> f = new ArrayList<>(idx.length);
            int[] l = new int[idx.length];
            for (int k = 0; k < idx.length; k++) {
                f.add(files.get(idx[k]));
                l[k] = labels[idx[k]];
            }
            return new Split(f, l);
        }
    }

    static Dataset load(Path root, DataKind kind, DataOptions opt, ReaderControl control) throws DatasetException,
            IOException {
        List<String> classes;
        Split train, test;
        if (kind == DataKind.IMAGE_FOLDERS_SPLIT) {
            classes = classFolders(root.resolve("train"));
            List<String> testClasses = classFolders(root.resolve("test"));
            if (!classes.equals(testClasses)) {
                throw new DatasetException(root + ": train/ has class folders " + classes + " but test/ has "
                        + testClasses + " (both need the same classes)");
            }
            checkClassCount(root, classes);
            train = split(root.resolve("train"), classes);
            test = split(root.resolve("test"), classes);
        } else {
            classes = classFolders(root);
            checkClassCount(root, classes);
            Split all = split(root, classes);
            int[][] perClass = Subsets.indicesByClass(all.labels(), classes.size(),
                    new SplittableRandom(opt.splitSeed()));
            int[] take = new int[classes.size()];
            for (int c = 0; c < take.length; c++) {
                take[c] = (int) Math.round(perClass[c].length * opt.testFraction());
            }
            int[][] parts = Subsets.takeStratified(perClass, take);
            test = all.select(parts[0]);
            train = all.select(parts[1]);
        }

        // 1. headers: sizes and colour, cheap; files without a readable header are bad already
        Map<Path, String> bad = Collections.synchronizedMap(new HashMap<>());
        ImageShape[] trainHeaders = headers(train, bad, control);
        ImageShape[] testHeaders = headers(test, bad, control);
        ImageShape shape = opt.shape() != null ? opt.shape() : commonShape(trainHeaders, testHeaders, root);

        // 2. decode everything once: finds truncated files, counts the statistics, keeps pixels that fit in memory
        long bytes = (long) (train.count() + test.count()) * shape.bytes();
        boolean memory = switch (opt.loading()) {
            case MEMORY -> true;
            case STREAM -> false;
            case AUTO -> bytes <= Datasets.memoryBudget();
        };
        long[][] hist = new long[shape.channels()][256];
        long[] trainKeys = new long[train.count()];
        byte[] trainPixels = decodeAll(train, shape, bad, hist, trainKeys, memory, control);
        byte[] testPixels = decodeAll(test, shape, bad, null, null, memory, control);

        List<String> notes = new ArrayList<>();
        if (!bad.isEmpty()) {
            List<Path> named = new ArrayList<>(bad.keySet());
            Collections.sort(named);
            StringBuilder first = new StringBuilder();
            for (int i = 0; i < Math.min(NAMED, named.size()); i++) {
                first.append(i == 0 ? "" : "; ").append(named.get(i)).append(" (").append(bad.get(named.get(i)))
                        .append(')');
            }
            String what = bad.size() + " of " + (train.count() + test.count()) + " images cannot be read: " + first
                    + (named.size() > NAMED ? "; and " + (named.size() - NAMED) + " more" : "");
            if (opt.onBadImage() == DataOptions.BadImages.FAIL) {
                throw new DatasetException(what + " (fix or remove them, or pass --on-bad-image skip)");
            }
            notes.add("left out " + what);
        }
        LabelledImages trainImages = images(train, trainPixels, shape, bad, hist, trainKeys);
        LabelledImages testImages = images(test, testPixels, shape, bad, null, null);
        int[] counts = trainImages.classCounts(classes.size());
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) {
                throw new DatasetException(root + ": class '" + classes.get(c) + "' has no readable training images");
            }
        }
        if (!memory) {
            notes.add("streamed from disk: " + String.format(Locale.ROOT, "%.0f", bytes / 1048576.0)
                    + " MiB decoded, decoded again every epoch by the loader thread");
        }
        return new Dataset(root.toString(), kind.description() + " in " + root, kind, trainImages, testImages,
                classes, notes);
    }

    private static void checkClassCount(Path root, List<String> classes) throws DatasetException {
        if (classes.size() < 2) {
            throw new DatasetException(root + ": " + classes.size() + " class folder" + (classes.size() == 1 ? " ("
                    + classes.get(0) + ")" : "s") + "; a classifier needs at least 2");
        }
        if (classes.size() > MAX_CLASSES) {
            throw new DatasetException(root + ": " + classes.size() + " class folders; at most " + MAX_CLASSES
                    + " are supported");
        }
    }

    private static Split split(Path dir, List<String> classes) throws IOException, DatasetException {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path classDir = dir.resolve(classes.get(c));
            List<Path> f = imageFiles(classDir);
            if (f.isEmpty()) {
                throw new DatasetException(classDir + ": empty class folder (no " + String.join("/", EXTENSIONS.stream()
                        .sorted().toList()) + " files); add images or remove the folder");
            }
            files.addAll(f);
            for (int i = 0; i < f.size(); i++) {
                labels.add(c);
            }
        }
        return new Split(files, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static ImageShape[] headers(Split s, Map<Path, String> bad, ReaderControl control) {
        ImageShape[] out = new ImageShape[s.count()];
        IntStream.range(0, s.count()).parallel().forEach(i -> {
            checkCancelled(control);
            try {
                out[i] = header(s.files().get(i));
            } catch (IOException | RuntimeException e) {
                bad.put(s.files().get(i), reason(e));
            }
        });
        return out;
    }

    /** The most frequent size among the training images; 3 channels if any image (train or test) is in colour. */
    private static ImageShape commonShape(ImageShape[] train, ImageShape[] test, Path root) throws DatasetException {
        Map<Long, Integer> sizes = new HashMap<>();
        boolean colour = false;
        for (ImageShape h : train) {
            if (h != null) {
                sizes.merge(((long) h.height() << 32) | h.width(), 1, Integer::sum);
                colour |= h.channels() == 3;
            }
        }
        for (ImageShape h : test) {
            colour |= h != null && h.channels() == 3;
        }
        if (sizes.isEmpty()) {
            throw new DatasetException(root + ": no training image can be read");
        }
        long size = Collections.max(sizes.entrySet(), Map.Entry.comparingByValue()).getKey();
        return new ImageShape(colour ? 3 : 1, (int) (size >>> 32), (int) size);
    }

    /**
     * Decodes every image of a split once: into {@code pixels} when kept in memory, and in any case into the
     * histogram and (for a streamed split, which would otherwise decode it all again for them) the content keys.
     */
    private static byte[] decodeAll(Split s, ImageShape shape, Map<Path, String> bad, long[][] hist, long[] keys,
            boolean keep, ReaderControl control) {
        byte[] pixels = keep ? new byte[Math.multiplyExact(s.count(), shape.bytes())] : null;
        // in chunks, each with one image buffer and one histogram: per-image garbage grew the heap (and so the
        // process's resident memory) with the number of images scanned
        int chunk = 256, chunks = (s.count() + chunk - 1) / chunk;
        IntStream.range(0, chunks).parallel().forEach(k -> {
            byte[] scratch = keep ? null : new byte[shape.bytes()];
            long[][] mine = hist == null ? null : new long[shape.channels()][256];
            for (int i = k * chunk, end = Math.min(s.count(), i + chunk); i < end; i++) {
                checkCancelled(control);
                Path f = s.files().get(i);
                if (bad.containsKey(f)) {
                    continue;
                }
                byte[] out = keep ? pixels : scratch;
                int offset = keep ? i * shape.bytes() : 0;
                try {
                    read(f, shape, out, offset);
                } catch (IOException | RuntimeException e) {
                    bad.put(f, reason(e));
                    continue;
                }
                if (mine != null) {
                    PixelStats.add(mine, out, offset, shape);
                }
                if (keys != null && !keep) {
                    keys[i] = SampleOrder.key(out, offset, shape.bytes(), s.labels()[i]);
                }
            }
            if (mine != null) {
                synchronized (hist) {
                    for (int c = 0; c < hist.length; c++) {
                        for (int v = 0; v < 256; v++) {
                            hist[c][v] += mine[c][v];
                        }
                    }
                }
            }
        });
        return pixels;
    }

    private static void checkCancelled(ReaderControl control) {
        if (control.isCancelled()) {
            throw new CancellationException("cancelled while reading the data set");
        }
    }

    /** The split without its bad files: in memory (pixels given) or streamed. */
    private static LabelledImages images(Split s, byte[] pixels, ImageShape shape, Map<Path, String> bad,
            long[][] hist, long[] keys) {
        int[] good = IntStream.range(0, s.count()).filter(i -> !bad.containsKey(s.files().get(i))).toArray();
        if (pixels != null) {
            byte[] labels = new byte[s.count()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (byte) s.labels()[i];
            }
            ImageSet all = new ImageSet(pixels, labels, s.count(), shape.channels(), shape.height(), shape.width());
            return good.length == s.count() ? all : all.select(good);
        }
        return new Streamed(s.select(good), shape, hist, keys == null ? null
                : java.util.Arrays.stream(good).mapToLong(i -> keys[i]).toArray());
    }

    static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    /** Width, height and colour of an image from its header, without decoding the pixels. */
    static ImageShape header(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file); // small files: one read costs what reading the header would
        ImageShape png = PngDecoder.shape(bytes);
        if (png != null) {
            return png;
        }
        try (ImageInputStream in = memoryStream(bytes)) {
            ImageReader r = reader(in, file);
            try {
                r.setInput(in, true, true);
                int w = r.getWidth(0), h = r.getHeight(0);
                Iterator<ImageTypeSpecifier> types = r.getImageTypes(0);
                boolean grey = types.hasNext() && isGrey(types.next().getColorModel());
                return new ImageShape(grey ? 1 : 3, h, w);
            } finally {
                r.dispose();
            }
        }
    }

    /**
     * Decodes an image and fits it into {@code shape}: common PNGs by {@link PngDecoder}, everything else by
     * ImageIO. A decoder warning (a JPEG that ends early) counts as unreadable: the decoder would fill the rest with
     * grey.
     */
    static void read(Path file, ImageShape shape, byte[] dst, int offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        PngDecoder.Decoded png = PngDecoder.decode(bytes);
        if (png != null) {
            ImageFit.fit(png.pixels(), png.shape(), dst, offset, shape);
            return;
        }
        BufferedImage img;
        try (ImageInputStream in = memoryStream(bytes)) {
            ImageReader r = reader(in, file);
            try {
                r.setInput(in, true, true);
                List<String> warnings = new ArrayList<>();
                r.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                img = r.read(0);
                if (!warnings.isEmpty()) {
                    throw new IOException("truncated or damaged: " + warnings.get(0));
                }
            } finally {
                r.dispose();
            }
        }
        ImageShape native_ = new ImageShape(isGrey(img.getColorModel()) ? 1 : 3, img.getHeight(), img.getWidth());
        ImageFit.fit(pixels(img, native_), native_, dst, offset, shape);
    }

    /** A stream over a file's bytes held in memory (ImageIO's own choice would cache through a temporary file). */
    private static ImageInputStream memoryStream(byte[] bytes) {
        return new MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(bytes));
    }

    private static ImageReader reader(ImageInputStream in, Path file) throws IOException {
        if (in == null) {
            throw new IOException("cannot open");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IOException("not an image Java can read (PNG, JPEG, BMP or GIF)");
        }
        return readers.next();
    }

    /** Grey: a grey colour space (any bit depth, alpha ignored), or a palette of greys only. */
    private static boolean isGrey(ColorModel cm) {
        if (cm instanceof IndexColorModel icm) {
            for (int i = 0; i < icm.getMapSize(); i++) {
                if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) {
                    return false;
                }
            }
            return true;
        }
        return cm != null && cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
    }

    /**
     * CHW bytes of a decoded image. Grey rasters are read as stored (BufferedImage.getRGB would pass them through a
     * colour conversion and change the values); everything else as sRGB.
     */
    private static byte[] pixels(BufferedImage img, ImageShape s) {
        int w = s.width(), h = s.height();
        byte[] out = new byte[s.bytes()];
        ColorModel cm = img.getColorModel();
        if (s.channels() == 1 && !(cm instanceof IndexColorModel)) {
            Raster r = img.getRaster();
            int bits = cm.getComponentSize(0);
            int shift = Math.max(0, bits - 8);
            int max = (1 << Math.min(bits, 8)) - 1; // 1-, 2- and 4-bit greys are stretched to 0..255
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) ((row[x] >> shift) * 255 / max);
                }
            }
            return out;
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        int plane = w * h;
        for (int p = 0; p < plane; p++) {
            int v = argb[p];
            if (s.channels() == 1) { // a palette of greys
                out[p] = (byte) (v & 0xff);
            } else {
                out[p] = (byte) (v >> 16);
                out[plane + p] = (byte) (v >> 8);
                out[2 * plane + p] = (byte) v;
            }
        }
        return out;
    }

    /** A split read from its files on every access (sets larger than the memory budget). */
    static final class Streamed implements LabelledImages {
        private final Split split;
        private final ImageShape shape;
        private final long[][] hist;
        private final long[] keys;

        Streamed(Split split, ImageShape shape, long[][] hist, long[] keys) {
            this.split = split;
            this.shape = shape;
            this.hist = hist;
            this.keys = keys;
        }

        @Override
        public long[] sampleKeys() {
            return keys == null ? LabelledImages.super.sampleKeys() : keys.clone();
        }

        @Override
        public int count() {
            return split.count();
        }

        @Override
        public ImageShape shape() {
            return shape;
        }

        @Override
        public int label(int i) {
            return split.labels()[i];
        }

        @Override
        public void read(int i, byte[] dst, int offset) {
            Path f = split.files().get(i);
            try {
                ImageFolder.read(f, shape, dst, offset);
            } catch (IOException e) {
                throw new UncheckedIOException(f + ": " + reason(e), e);
            }
        }

        @Override
        public long[][] channelHistograms() {
            if (hist == null) {
                return LabelledImages.super.channelHistograms();
            }
            long[][] copy = new long[hist.length][];
            for (int c = 0; c < hist.length; c++) {
                copy[c] = hist[c].clone();
            }
            return copy;
        }
    }
}
