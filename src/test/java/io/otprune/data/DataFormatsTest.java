package io.otprune.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.otprune.util.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders, CIFAR files, detection, fitting, normalisation, augmentation and every refusal. */
class DataFormatsTest {
    @TempDir
    Path tmp;

    /** A grey image whose pixel (y,x) is (seed*31 + y*7 + x*3) mod 256. */
    static BufferedImage grey(int h, int w, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (seed * 31 + y * 7 + x * 3) & 0xff);
            }
        }
        return img;
    }

    static BufferedImage rgb(int h, int w, int r, int g, int b) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    static void write(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        assertThat(ImageIO.write(img, name.substring(name.lastIndexOf('.') + 1), file.toFile())).isTrue();
    }

    /** root/split/class/i.png for classes a, b, c; n per class. */
    private Path pngSplitFolders(int n) throws IOException {
        Path root = tmp.resolve("png");
        for (String split : List.of("train", "test")) {
            for (String c : List.of("cat", "ant", "bee")) {
                for (int i = 0; i < n; i++) {
                    write(grey(12, 12, c.charAt(0) + i), root.resolve(split).resolve(c).resolve(i + ".png"));
                }
            }
        }
        return root;
    }

    @Test
    void pngSplitFoldersLoadWithSortedClassNamesAndExactPixels() throws Exception {
        Path root = pngSplitFolders(4);
        assertThat(Datasets.detect(root)).isEqualTo(DataKind.IMAGE_FOLDERS_SPLIT);
        Dataset d = Datasets.load(root.toString());
        assertThat(d.kind()).isEqualTo(DataKind.IMAGE_FOLDERS_SPLIT);
        assertThat(d.classNames()).containsExactly("ant", "bee", "cat");
        assertThat(d.shape()).isEqualTo(new ImageShape(1, 12, 12));
        assertThat(d.trainImages().count()).isEqualTo(12);
        assertThat(d.testImages().classCounts(3)).containsExactly(4, 4, 4);
        // first training image: ant/0.png, pixels exactly as written
        byte[] px = new byte[144];
        d.trainImages().read(0, px, 0);
        assertThat(d.trainImages().label(0)).isZero();
        assertThat(px[1 * 12 + 2] & 0xff).isEqualTo(('a' * 31 + 7 + 6) & 0xff);
    }

    @Test
    void streamedAndInMemoryReadTheSameBatches() throws Exception {
        Path root = pngSplitFolders(3);
        DataOptions stream = DataOptions.builder().loading(DataOptions.Loading.STREAM).build();
        Dataset s = Datasets.load(root.toString(), stream, ReaderControl.NONE);
        Dataset m = Datasets.load(root.toString());
        assertThat(s.inMemory()).isFalse();
        assertThat(m.inMemory()).isTrue();
        assertThat(s.train()).isEqualTo(m.train());
        assertThat(Normalization.of(s.trainImages())).isEqualTo(Normalization.of(m.trainImages()));
        Batches b = new Batches(s.trainImages(), Normalization.of(m.train()), 4);
        int[] order = b.order(3, 1, true);
        try (var mgr = ai.djl.ndarray.NDManager.newBaseManager();
                Batches.Loader loader = b.loader(order, 1, Augmentation.NONE, ReaderControl.NONE)) {
            for (int i = 0; i < b.count(); i++) {
                float[] streamed = loader.next(mgr).images().toFloatArray();
                float[] direct = new Batches(m.train(), Normalization.of(m.train()), 4).batch(mgr, order, i).images()
                        .toFloatArray();
                assertThat(streamed).containsExactly(direct);
            }
        }
    }

    @Test
    void oneFolderOfClassesIsSplitStratifiedAndSeeded() throws Exception {
        Path root = tmp.resolve("one");
        for (String c : List.of("x", "y")) {
            for (int i = 0; i < 10; i++) {
                write(rgb(8, 10, i * 20, c.equals("x") ? 0 : 255, 7), root.resolve(c).resolve(i + ".jpg"));
            }
        }
        assertThat(Datasets.detect(root)).isEqualTo(DataKind.IMAGE_FOLDERS);
        Dataset d = Datasets.load(root.toString());
        assertThat(d.shape()).isEqualTo(new ImageShape(3, 8, 10));
        assertThat(d.testImages().classCounts(2)).containsExactly(2, 2);
        assertThat(d.trainImages().classCounts(2)).containsExactly(8, 8);
        assertThat(Datasets.load(root.toString()).test()).isEqualTo(d.test());
        DataOptions other = DataOptions.builder().testFraction(0.5).splitSeed(9).build();
        assertThat(Datasets.load(root.toString(), other, ReaderControl.NONE).testImages().classCounts(2))
                .containsExactly(5, 5);
        // JPEG is lossy, but a flat colour comes back close
        byte[] px = new byte[3 * 80];
        d.trainImages().read(0, px, 0);
        assertThat(d.trainImages().label(0)).isZero(); // class x: green 0, blue 7
        assertThat(px[80 + 5] & 0xff).isLessThan(20);
        assertThat(px[160 + 5] & 0xff).isBetween(0, 20);
    }

    @Test
    void bmpAndGifAndMixedSizesAreFittedToOneShape() throws Exception {
        Path root = tmp.resolve("mixed");
        write(grey(16, 16, 1), root.resolve("train/a/0.bmp"));
        write(grey(16, 16, 2), root.resolve("train/a/1.gif"));
        write(grey(32, 24, 3), root.resolve("train/b/0.png"));
        write(rgb(16, 16, 255, 0, 0), root.resolve("test/a/0.png"));
        write(grey(20, 40, 5), root.resolve("test/b/0.bmp"));
        Dataset d = Datasets.load(root.toString());
        assertThat(d.shape()).isEqualTo(new ImageShape(3, 16, 16)); // most frequent size; one colour image
        DataOptions grey = DataOptions.DEFAULTS.withShape(new ImageShape(1, 10, 10));
        Dataset g = Datasets.load(root.toString(), grey, ReaderControl.NONE);
        assertThat(g.shape()).isEqualTo(new ImageShape(1, 10, 10));
        byte[] red = new byte[100];
        g.testImages().read(0, red, 0);
        assertThat(red[55] & 0xff).isEqualTo(76); // luma of pure red
    }

    @Test
    void fitScalesTheShorterSideThenCropsTheCentre() {
        // 4 rows x 8 columns: left half 0, right half 200; columns 2..5 are the centre after fitting to 4x4
        ImageShape from = new ImageShape(1, 4, 8);
        byte[] src = new byte[32];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                src[y * 8 + x] = (byte) (x < 4 ? 0 : 200);
            }
        }
        byte[] same = new byte[32];
        ImageFit.fit(src, from, same, 0, from);
        assertThat(same).containsExactly(src);
        byte[] crop = new byte[16];
        ImageFit.fit(src, from, crop, 0, new ImageShape(1, 4, 4));
        assertThat(Arrays.copyOfRange(crop, 0, 4)).containsExactly(0, 0, (byte) 200, (byte) 200);
        // halving: 8x16 -> 4x8 averages 2x2 blocks (triangle filter of width 2 on a pixel grid)
        ImageShape big = new ImageShape(1, 8, 16);
        byte[] flat = new byte[128];
        Arrays.fill(flat, (byte) 90);
        byte[] half = new byte[32];
        ImageFit.fit(flat, big, half, 0, from);
        for (byte v : half) {
            assertThat(v & 0xff).isEqualTo(90);
        }
        // grey -> RGB repeats, RGB of equal channels -> grey gives the value back
        byte[] rgbOut = new byte[96];
        ImageFit.fit(src, from, rgbOut, 0, new ImageShape(3, 4, 8));
        byte[] back = new byte[32];
        ImageFit.fit(rgbOut, new ImageShape(3, 4, 8), back, 0, from);
        assertThat(back).containsExactly(src);
    }

    @Test
    void cifar10FilesRoundTripPixelsAndLabels() throws Exception {
        ImageSet train = tinySet(11, 28, 28, 4);
        ImageSet test = tinySet(5, 28, 28, 4);
        Path dir = tmp.resolve("cifar");
        List<String> names = List.of("zero", "one", "two", "three");
        CifarFiles.writeCifar10(dir, train, test, names);
        assertThat(Datasets.detect(dir)).isEqualTo(DataKind.CIFAR10);
        for (DataOptions.Loading l : DataOptions.Loading.values()) {
            Dataset d = Datasets.load(dir.toString(), DataOptions.builder().loading(l).build(),
                    ReaderControl.NONE);
            assertThat(d.kind()).isEqualTo(DataKind.CIFAR10);
            assertThat(d.classNames()).isEqualTo(names);
            assertThat(d.shape()).isEqualTo(CifarFiles.SHAPE);
            assertThat(d.trainImages().count()).isEqualTo(11);
            byte[] rec = new byte[3072];
            for (int i = 0; i < 11; i++) {
                assertThat(d.trainImages().label(i)).isEqualTo(train.label(i));
                d.trainImages().read(i, rec, 0);
                for (int c = 0; c < 3; c++) { // every channel is the grey image, centred on a 2-pixel zero border
                    for (int y = 0; y < 32; y++) {
                        for (int x = 0; x < 32; x++) {
                            boolean inside = y >= 2 && y < 30 && x >= 2 && x < 30;
                            int want = inside ? train.images()[i * 784 + (y - 2) * 28 + x - 2] : 0;
                            assertThat(rec[c * 1024 + y * 32 + x]).isEqualTo((byte) want);
                        }
                    }
                }
            }
        }
    }

    @Test
    void cifar100FineAndCoarseLabels() throws Exception {
        Path dir = tmp.resolve("c100");
        Files.createDirectories(dir);
        for (String f : List.of("train.bin", "test.bin")) {
            byte[] all = new byte[3 * 3074];
            for (int r = 0; r < 3; r++) {
                all[r * 3074] = (byte) (r % 2); // coarse
                all[r * 3074 + 1] = (byte) (10 + r); // fine
                all[r * 3074 + 2] = (byte) r; // first red pixel
            }
            Files.write(dir.resolve(f), all);
        }
        Dataset fine = Datasets.load(dir.toString());
        assertThat(fine.kind()).isEqualTo(DataKind.CIFAR100);
        assertThat(fine.numClasses()).isEqualTo(100);
        assertThat(fine.trainImages().label(2)).isEqualTo(12);
        assertThat(fine.train().images()[2 * 3072]).isEqualTo((byte) 2);
        Dataset coarse = Datasets.load(dir.toString(),
                DataOptions.builder().coarseLabels(true).build(), ReaderControl.NONE);
        assertThat(coarse.numClasses()).isEqualTo(20);
        assertThat(coarse.trainImages().label(1)).isEqualTo(1);
    }

    @Test
    void normalisationIsPerChannelAndOldScalarModelJsonStillLoads() throws Exception {
        Normalization old = Json.PRETTY.fromJson("{\"mean\":0.286,\"std\":0.353}", Normalization.class);
        assertThat(old).isEqualTo(new Normalization(0.286, 0.353));
        assertThat(JsonParser.parseString(Json.PRETTY.toJson(old)))
                .isEqualTo(JsonParser.parseString("{\"mean\":0.286,\"std\":0.353}"));
        Normalization rgb = new Normalization(new double[] {0.1, 0.2, 0.3}, new double[] {0.4, 0.5, 0.6});
        Normalization back = Json.PRETTY.fromJson(Json.PRETTY.toJson(rgb), Normalization.class);
        assertThat(back).isEqualTo(rgb);
        assertThat(back.tables()[2][255]).isEqualTo((float) ((1 - 0.3) / 0.6));
        // measured per channel: a red-only set has mean 1 in channel 0 and 0 elsewhere
        byte[] px = new byte[2 * 3 * 4];
        Arrays.fill(px, 0, 4, (byte) 255);
        Arrays.fill(px, 12, 16, (byte) 255);
        Normalization n = Normalization.of(new ImageSet(px, new byte[2], 2, 3, 2, 2));
        assertThat(n.mean()).containsExactly(1.0, 0.0, 0.0);
        // the measured constants of a grey set are what they were before channels existed
        Dataset fm = Datasets.load(Datasets.FASHION_SMALL, DataOptions.DEFAULTS, ReaderControl.NONE);
        double[] ms = fm.train().pixelMeanStd();
        assertThat(Normalization.of(fm.train()))
                .isEqualTo(new Normalization(Math.round(ms[0] * 1e4) / 1e4, Math.round(ms[1] * 1e4) / 1e4));
        assertThatThrownBy(() -> new Batches(fm.train(), rgb, 10)).hasMessageContaining("3 channel(s)");
    }

    @Test
    void augmentationIsSeededPerSampleAndEpoch() {
        ImageShape s = new ImageShape(3, 6, 6);
        byte[] img = new byte[s.bytes()];
        for (int i = 0; i < img.length; i++) {
            img[i] = (byte) (i + 1);
        }
        byte[] scratch = new byte[s.bytes()];
        Augmentation a = Augmentation.cropFlip(2, 42);
        byte[] x1 = img.clone(), x2 = img.clone();
        a.apply(x1, 0, s, 3, 17, scratch);
        a.apply(x2, 0, s, 3, 17, scratch);
        assertThat(x1).containsExactly(x2);
        int differ = 0;
        for (int e = 0; e < 20; e++) {
            byte[] y = img.clone();
            a.apply(y, 0, s, e, 17, scratch);
            differ += Arrays.equals(y, img) ? 0 : 1;
        }
        assertThat(differ).isGreaterThan(10);
        byte[] off = img.clone();
        Augmentation.NONE.apply(off, 0, s, 3, 17, scratch);
        assertThat(off).containsExactly(img);
        // flip only: the image or its mirror
        Augmentation flip = new Augmentation(true, 0, true, 1);
        for (int k = 0; k < 10; k++) {
            byte[] f = img.clone();
            flip.apply(f, 0, s, 0, k, scratch);
            boolean mirrored = f[0] == img[5];
            assertThat(f[0]).isEqualTo(mirrored ? img[5] : img[0]);
        }
        // batches with augmentation do not depend on which batch a sample is in
        ImageSet set = tinySet(8, 6, 6, 2);
        Batches b = new Batches(set, new Normalization(0.5, 0.5), 4);
        Batches one = new Batches(set, new Normalization(0.5, 0.5), 1);
        int[] order = b.order(1, 1, true);
        float[] four = b.host(order, 1, a, 2).images();
        float[] single = one.host(order, 5, a, 2).images();
        assertThat(Arrays.copyOfRange(four, 36, 72)).containsExactly(single);
    }

    @Test
    void loaderStopsWhenTheRunIsCancelledAndWaitsWhilePaused() throws Exception {
        ImageSet set = tinySet(40, 4, 4, 2);
        Batches b = new Batches(set, new Normalization(0.5, 0.5), 2);
        boolean[] paused = {true};
        boolean[] cancelled = {false};
        ReaderControl control = new ReaderControl() {
            @Override
            public synchronized void awaitResumed() throws InterruptedException {
                while (paused[0] && !cancelled[0]) {
                    wait();
                }
            }

            @Override
            public synchronized boolean isCancelled() {
                return cancelled[0];
            }
        };
        try (var m = ai.djl.ndarray.NDManager.newBaseManager();
                Batches.Loader loader = b.loader(b.order(1, 1, false), 1, Augmentation.NONE, control)) {
            Thread.sleep(100);
            synchronized (control) {
                paused[0] = false;
                control.notifyAll();
            }
            assertThat(loader.next(m).size()).isEqualTo(2);
            synchronized (control) {
                cancelled[0] = true;
            }
            assertThatThrownBy(() -> {
                for (int i = 0; i < 20; i++) {
                    loader.next(m);
                }
            }).isInstanceOf(java.util.concurrent.CancellationException.class);
        }
    }

    @Test
    void refusalsSayWhatIsWrongInOneLine() throws Exception {
        Path empty = tmp.resolve("empty");
        write(grey(4, 4, 1), empty.resolve("train/a/0.png"));
        write(grey(4, 4, 1), empty.resolve("test/a/0.png"));
        Files.createDirectories(empty.resolve("train/b"));
        write(grey(4, 4, 1), empty.resolve("train/b/0.png"));
        Files.createDirectories(empty.resolve("test/b"));
        Files.writeString(empty.resolve("test/b/notes.txt"), "not an image file");
        assertRefused(empty, "empty class folder");

        Path single = tmp.resolve("single");
        write(grey(4, 4, 1), single.resolve("only/0.png"));
        assertRefused(single, "a classifier needs at least 2");

        Path mismatch = tmp.resolve("mismatch");
        write(grey(4, 4, 1), mismatch.resolve("train/a/0.png"));
        write(grey(4, 4, 1), mismatch.resolve("train/b/0.png"));
        write(grey(4, 4, 1), mismatch.resolve("test/a/0.png"));
        write(grey(4, 4, 1), mismatch.resolve("test/c/0.png"));
        assertRefused(mismatch, "the same classes");

        Path cifar = tmp.resolve("cifar");
        CifarFiles.writeCifar10(cifar, tinySet(10, 8, 8, 2), tinySet(2, 8, 8, 2), List.of("a", "b"));
        Files.write(cifar.resolve("test_batch.bin"), new byte[3073 + 100]);
        assertRefused(cifar, "not a whole number of 3073-byte records");

        Path nothing = Files.createDirectories(tmp.resolve("nothing"));
        Files.writeString(nothing.resolve("readme.txt"), "hi");
        assertRefused(nothing, "no CIFAR files");

        Dataset ok = Datasets.load(Datasets.MNIST_SMALL);
        assertThatThrownBy(() -> ok.requireClasses(3, "m")).isInstanceOf(DatasetException.class)
                .hasMessage("model m has 3 classes but data set mnist-small has 10");
    }

    @Test
    void badImagesAreCountedAndNamedAndFailOrAreSkipped() throws Exception {
        Path root = tmp.resolve("bad");
        for (String c : List.of("a", "b")) {
            for (int i = 0; i < 3; i++) {
                write(grey(16, 16, i), root.resolve("train").resolve(c).resolve(i + ".png"));
                write(rgb(16, 16, 10, 20, 30), root.resolve("test").resolve(c).resolve(i + ".jpg"));
            }
        }
        byte[] png = Files.readAllBytes(root.resolve("train/a/1.png"));
        Files.write(root.resolve("train/a/1.png"), Arrays.copyOf(png, png.length / 2)); // truncated
        Files.writeString(root.resolve("train/b/2.png"), "not an image");
        byte[] jpg = Files.readAllBytes(root.resolve("test/b/0.jpg"));
        Files.write(root.resolve("test/b/0.jpg"), Arrays.copyOf(jpg, jpg.length * 2 / 3)); // truncated JPEG
        assertThatThrownBy(() -> Datasets.load(root.toString())).isInstanceOf(DatasetException.class)
                .hasMessageContaining("3 of 12 images cannot be read").hasMessageContaining("1.png")
                .hasMessageContaining("--on-bad-image skip").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        DataOptions skip = DataOptions.builder().onBadImage(DataOptions.BadImages.SKIP).build();
        Dataset d = Datasets.load(root.toString(), skip, ReaderControl.NONE);
        assertThat(d.trainImages().count()).isEqualTo(4);
        assertThat(d.testImages().count()).isEqualTo(5);
        assertThat(d.notes()).anyMatch(n -> n.startsWith("left out 3 of 12 images"));
    }

    private static void assertRefused(Path dir, String message) {
        assertThatThrownBy(() -> Datasets.load(dir.toString())).isInstanceOf(DatasetException.class)
                .hasMessageContaining(message).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /** n grey images of h x w with labels i % classes and varied pixels. */
    static ImageSet tinySet(int n, int h, int w, int classes) {
        byte[] px = new byte[n * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 37 + i / 7);
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % classes);
        }
        return new ImageSet(px, labels, n, h, w);
    }
}
