package io.otprune.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Epoch order and augmentation keyed by content: the same images train the same way in any layout. */
class SampleOrderTest {
    @TempDir
    Path tmp;

    /** {@code n} random 1×8×8 images with labels 0..classes-1. */
    static ImageSet randomSet(int n, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[n * 64];
        byte[] labels = new byte[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) r.nextInt(256);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) r.nextInt(classes);
        }
        return new ImageSet(px, labels, n, 8, 8);
    }

    /** The images of an epoch's batches, augmented, as the training loop reads them. */
    static float[][] epoch(LabelledImages set, long seed, int epoch, Augmentation aug) {
        Batches b = new Batches(set, new Normalization(0.5, 0.25), 16);
        int[] order = b.order(seed, epoch, true);
        float[][] out = new float[b.count()][];
        for (int i = 0; i < b.count(); i++) {
            out[i] = b.host(order, i, aug, epoch).images();
        }
        return out;
    }

    @Test
    void theSameImagesInAnotherOrderGiveTheSameBatches() {
        ImageSet set = randomSet(200, 4, 1);
        int[] perm = new int[200];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = (i * 73 + 11) % 200;
        }
        ImageSet moved = set.select(perm);
        Augmentation aug = Augmentation.cropFlip(2, 5);
        for (int e = 0; e < 3; e++) {
            assertThat(epoch(moved, 9, e, aug)).isDeepEqualTo(epoch(set, 9, e, aug));
        }
        // keyed by position, as before, the two layouts gave other batches from the same seed
        assertThat(new Batches(set, new Normalization(0.5, 0.25), 16).order(9, 0, true))
                .isNotEqualTo(new Batches(moved, new Normalization(0.5, 0.25), 16).order(9, 0, true));
    }

    @Test
    void aClassSortedPngFolderStreamedTrainsLikeTheSetItCameFrom() throws Exception {
        ImageSet train = randomSet(60, 3, 2), test = randomSet(12, 3, 3);
        Dataset d = new Dataset("random", "random images", train, test, List.of("a", "b", "c"));
        ImageFolder.writePng(tmp, d);
        for (DataOptions.Loading l : DataOptions.Loading.values()) {
            DataOptions o = DataOptions.builder().loading(l).build();
            Dataset folder = Datasets.load(tmp.toString(), o, ReaderControl.NONE);
            // read class by class: another order than the set's, the same images
            assertThat(folder.train()).isNotEqualTo(train);
            long[] keys = folder.trainImages().sampleKeys();
            long[] own = SampleOrder.keys(train);
            Arrays.sort(keys);
            Arrays.sort(own);
            assertThat(keys).as("%s", l).containsExactly(own);
            Augmentation aug = Augmentation.cropFlip(1, 3);
            assertThat(epoch(folder.trainImages(), 4, 1, aug)).as("%s", l).isDeepEqualTo(epoch(train, 4, 1, aug));
        }
    }

    @Test
    void eachEpochIsAFreshPermutationThatIgnoresPosition() {
        ImageSet set = randomSet(2000, 10, 4);
        long[] keys = SampleOrder.keys(set);
        int[] e0 = SampleOrder.shuffled(keys, 1, 0);
        int[] e1 = SampleOrder.shuffled(keys, 1, 1);
        int[] s2 = SampleOrder.shuffled(keys, 2, 0);
        assertThat(e0).isEqualTo(SampleOrder.shuffled(keys, 1, 0));
        for (int[] o : List.of(e0, e1, s2)) {
            assertThat(Arrays.stream(o).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, 2000)
                    .toArray());
            // no trace of the stored order: rank correlation of position and visit near zero
            assertThat(Math.abs(correlation(o))).isLessThan(0.1);
        }
        assertThat(e1).isNotEqualTo(e0);
        assertThat(s2).isNotEqualTo(e0).isNotEqualTo(e1);
        // how often two epochs put a sample at the same place: about once, as for independent permutations
        int same = 0;
        for (int i = 0; i < e0.length; i++) {
            same += e0[i] == e1[i] ? 1 : 0;
        }
        assertThat(same).isLessThan(8);
    }

    @Test
    void identicalSamplesShareAKeyAndAnyChangeMovesIt() {
        byte[] a = new byte[784], b = new byte[784];
        new SplittableRandom(7).nextBytes(a);
        System.arraycopy(a, 0, b, 0, a.length);
        assertThat(SampleOrder.key(a, 0, 784, 3)).isEqualTo(SampleOrder.key(b, 0, 784, 3));
        assertThat(SampleOrder.key(a, 0, 784, 3)).isNotEqualTo(SampleOrder.key(a, 0, 784, 4));
        for (int p : new int[] {0, 5, 783}) {
            b[p] ^= 1;
            assertThat(SampleOrder.key(b, 0, 784, 3)).as("byte %d", p).isNotEqualTo(SampleOrder.key(a, 0, 784, 3));
            b[p] ^= 1;
        }
        // duplicates in a set still give a permutation
        ImageSet twice = new ImageSet(concat(a, a), new byte[] {3, 3}, 2, 28, 28);
        assertThat(SampleOrder.shuffled(SampleOrder.keys(twice), 1, 0)).containsExactlyInAnyOrder(0, 1);
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    /** Pearson correlation of visit position and sample index. */
    private static double correlation(int[] order) {
        int n = order.length;
        double mean = (n - 1) / 2.0, sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (i - mean) * (order[i] - mean);
            sxx += (i - mean) * (i - mean);
        }
        return sxy / sxx;
    }
}
