package io.otprune.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The CIFAR binary formats: records of a label byte (CIFAR-100: a coarse and a fine label byte) followed by a
 * 32x32 RGB image as three 1024-byte planes. CIFAR-10 comes as {@code data_batch_1..5.bin} and
 * {@code test_batch.bin} with class names in {@code batches.meta.txt}; CIFAR-100 as {@code train.bin} and
 * {@code test.bin} with {@code fine_label_names.txt} and {@code coarse_label_names.txt}. Name files are optional
 * (numbers are used instead).
 */
public final class CifarFiles {
    public static final ImageShape SHAPE = new ImageShape(3, 32, 32);
    public static final List<String> CIFAR10_TRAIN =
            IntStream.rangeClosed(1, 5).mapToObj(i -> "data_batch_" + i + ".bin").toList();
    public static final String CIFAR10_TEST = "test_batch.bin";
    public static final String CIFAR10_NAMES = "batches.meta.txt";
    public static final String CIFAR100_TRAIN = "train.bin";
    public static final String CIFAR100_TEST = "test.bin";

    private CifarFiles() {}

    /** The CIFAR kind of a folder, or null. */
    static DataKind detect(Path dir) {
        if (CIFAR10_TRAIN.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)))
                && Files.isRegularFile(dir.resolve(CIFAR10_TEST))) {
            return DataKind.CIFAR10;
        }
        if (Files.isRegularFile(dir.resolve(CIFAR100_TRAIN)) && Files.isRegularFile(dir.resolve(CIFAR100_TEST))) {
            return DataKind.CIFAR100;
        }
        return null;
    }

    static Dataset load(Path dir, DataKind kind, DataOptions opt) throws DatasetException, IOException {
        boolean c100 = kind == DataKind.CIFAR100;
        int labelBytes = c100 ? 2 : 1;
        int labelAt = c100 && !opt.coarseLabels() ? 1 : 0;
        List<Path> trainFiles = c100 ? List.of(dir.resolve(CIFAR100_TRAIN))
                : CIFAR10_TRAIN.stream().map(dir::resolve).toList();
        List<Path> testFiles = List.of(dir.resolve(c100 ? CIFAR100_TEST : CIFAR10_TEST));
        String namesFile = !c100 ? CIFAR10_NAMES : opt.coarseLabels() ? "coarse_label_names.txt" : "fine_label_names.txt";
        int defaultClasses = !c100 ? 10 : opt.coarseLabels() ? 20 : 100;
        List<String> classes = names(dir.resolve(namesFile), defaultClasses);
        ImageShape shape = opt.shape() != null ? opt.shape() : SHAPE;
        Records train = new Records(trainFiles, labelBytes, labelAt, shape, classes.size());
        Records test = new Records(testFiles, labelBytes, labelAt, shape, classes.size());
        boolean memory = switch (opt.loading()) {
            case MEMORY -> true;
            case STREAM -> false;
            case AUTO -> (long) (train.count() + test.count()) * shape.bytes() <= Datasets.memoryBudget();
        };
        List<String> notes = new ArrayList<>();
        if (!memory) {
            notes.add("streamed from disk: records read batch by batch by the loader thread");
        }
        if (opt.coarseLabels() && !c100) {
            throw new DatasetException(dir + ": --cifar-labels coarse applies to CIFAR-100 only");
        }
        return new Dataset(dir.toString(), kind.description() + " in " + dir
                + (c100 ? (opt.coarseLabels() ? ", coarse labels" : ", fine labels") : ""), kind,
                memory ? train.load() : train, memory ? test.load() : test, classes, notes);
    }

    private static List<String> names(Path file, int count) throws IOException {
        if (Files.isRegularFile(file)) {
            List<String> names = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
            if (!names.isEmpty()) {
                return names;
            }
        }
        return IntStream.range(0, count).mapToObj(Integer::toString).toList();
    }

    /** The records of a split's files, read by position on every access; labels read once, checked. */
    static final class Records implements LabelledImages {
        private final List<Path> files;
        private final int recordBytes;
        private final int labelBytes;
        private final ImageShape shape;
        private final int[] starts; // first sample of each file, and the total at the end
        private final byte[] labels;

        Records(List<Path> files, int labelBytes, int labelAt, ImageShape shape, int classes)
                throws IOException, DatasetException {
            this.files = files;
            this.labelBytes = labelBytes;
            this.recordBytes = labelBytes + SHAPE.bytes();
            this.shape = shape;
            starts = new int[files.size() + 1];
            for (int f = 0; f < files.size(); f++) {
                long size = Files.size(files.get(f));
                if (size % recordBytes != 0) {
                    throw new DatasetException(files.get(f) + ": " + size + " bytes is not a whole number of "
                            + recordBytes + "-byte records (truncated, or not a CIFAR-"
                            + (labelBytes == 1 ? "10" : "100") + " file)");
                }
                starts[f + 1] = Math.addExact(starts[f], (int) (size / recordBytes));
            }
            if (starts[files.size()] == 0) {
                throw new DatasetException(files.get(0) + (files.size() > 1 ? " and the other files" : "")
                        + ": no records");
            }
            labels = new byte[starts[files.size()]];
            byte[] chunk = new byte[recordBytes * 1024];
            for (int f = 0; f < files.size(); f++) {
                try (InputStream in = Files.newInputStream(files.get(f))) {
                    int i = starts[f];
                    int n;
                    while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                        for (int r = 0; r < n / recordBytes; r++, i++) {
                            int l = chunk[r * recordBytes + labelAt] & 0xff;
                            if (l >= classes) {
                                throw new DatasetException(files.get(f) + ": record " + (i - starts[f]) + " has label "
                                        + l + ", but there are " + classes + " classes");
                            }
                            labels[i] = (byte) l;
                        }
                    }
                }
            }
        }

        @Override
        public int count() {
            return labels.length;
        }

        @Override
        public ImageShape shape() {
            return shape;
        }

        @Override
        public int label(int i) {
            return labels[i] & 0xff;
        }

        @Override
        public void read(int i, byte[] dst, int offset) {
            int f = 0;
            while (i >= starts[f + 1]) {
                f++;
            }
            long pos = (long) (i - starts[f]) * recordBytes + labelBytes;
            byte[] raw = new byte[SHAPE.bytes()];
            // opened per read: positional reads need no shared state, and no file stays open after the run
            try (FileChannel ch = FileChannel.open(files.get(f), StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.wrap(raw);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw new IOException("ends inside record " + (i - starts[f]));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(files.get(f) + ": " + e.getMessage(), e);
            }
            if (shape.equals(SHAPE)) {
                System.arraycopy(raw, 0, dst, offset, raw.length);
            } else {
                ImageFit.fit(raw, SHAPE, dst, offset, shape);
            }
        }

        /** All records in memory, each file read in one sequential pass. */
        @Override
        public ImageSet load() {
            byte[] images = new byte[Math.multiplyExact(count(), shape.bytes())];
            byte[] raw = new byte[recordBytes];
            for (int f = 0; f < files.size(); f++) {
                try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(files.get(f)), 1 << 20)) {
                    for (int i = starts[f]; i < starts[f + 1]; i++) {
                        if (in.readNBytes(raw, 0, recordBytes) != recordBytes) {
                            throw new IOException("ends inside record " + (i - starts[f]));
                        }
                        if (shape.equals(SHAPE)) {
                            System.arraycopy(raw, labelBytes, images, i * shape.bytes(), SHAPE.bytes());
                        } else {
                            byte[] px = java.util.Arrays.copyOfRange(raw, labelBytes, recordBytes);
                            ImageFit.fit(px, SHAPE, images, i * shape.bytes(), shape);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(files.get(f) + ": " + e.getMessage(), e);
                }
            }
            return new ImageSet(images, labels.clone(), count(), shape.channels(), shape.height(), shape.width());
        }
    }

    /**
     * Writes a data set in the CIFAR-10 layout: the training split over five {@code data_batch_N.bin} files, the
     * test split in {@code test_batch.bin}, class names in {@code batches.meta.txt}. Images become 3x32x32: grey
     * repeated over the three channels, smaller images centred on a zero border (every pixel kept), larger ones
     * fitted. At most 256 classes (one label byte).
     */
    public static List<Path> writeCifar10(Path dir, LabelledImages train, LabelledImages test, List<String> classes)
            throws IOException {
        if (classes.size() > 256) {
            throw new IOException("CIFAR files hold one label byte: " + classes.size() + " classes is too many");
        }
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        int per = (train.count() + 4) / 5;
        for (int b = 0; b < 5; b++) {
            int from = Math.min(train.count(), b * per), to = Math.min(train.count(), from + per);
            written.add(writeRecords(dir.resolve(CIFAR10_TRAIN.get(b)), train, from, to));
        }
        written.add(writeRecords(dir.resolve(CIFAR10_TEST), test, 0, test.count()));
        Path names = dir.resolve(CIFAR10_NAMES);
        Files.writeString(names, String.join("\n", classes) + "\n", StandardCharsets.UTF_8);
        written.add(names);
        return written;
    }

    private static Path writeRecords(Path file, LabelledImages set, int from, int to) throws IOException {
        byte[] src = new byte[set.shape().bytes()];
        byte[] rec = new byte[1 + SHAPE.bytes()];
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int i = from; i < to; i++) {
                set.read(i, src, 0);
                rec[0] = (byte) set.label(i);
                ImageFit.padOrFit(src, set.shape(), rec, 1, SHAPE);
                out.write(rec);
            }
        }
        return file;
    }
}
