package io.otprune.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path tmp;

    @Test
    void embeddedFashionSubsetIsStratified() throws Exception {
        Dataset d = Datasets.load(Datasets.FASHION_SMALL);
        assertThat(d.train().count()).isEqualTo(10_000);
        assertThat(d.test().count()).isEqualTo(2_000);
        assertThat(d.train().classCounts(10)).containsOnly(1000);
        assertThat(d.test().classCounts(10)).containsOnly(200);
        assertThat(d.classNames()).hasSize(10).startsWith("T-shirt/top");
        assertThat(d.train().height()).isEqualTo(28);
    }

    @Test
    void embeddedMnistSubset() throws Exception {
        Dataset d = Datasets.load(Datasets.MNIST_SMALL);
        assertThat(d.train().count()).isEqualTo(8_000);
        assertThat(d.test().count()).isEqualTo(2_000);
        assertThat(d.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        // every digit is present in both splits, about 80/20
        int[] tr = d.train().classCounts(10);
        int[] te = d.test().classCounts(10);
        for (int c = 0; c < 10; c++) {
            assertThat((double) te[c] / (tr[c] + te[c])).isBetween(0.19, 0.21);
        }
    }

    @Test
    void unknownIdSaysWhatIsAccepted() {
        assertThatThrownBy(() -> Datasets.load("cifar-42")).isInstanceOf(DatasetException.class)
                .hasMessageContaining("unknown data set 'cifar-42'").hasMessageContaining("fashion-mnist-small");
    }

    @Test
    void folderWithoutIdxFilesIsExplained() {
        assertThatThrownBy(() -> Datasets.load(tmp.toString())).hasMessageContaining("has no IDX files");
    }

    @Test
    void folderOfIdxFilesLoads() throws Exception {
        byte[] img = new byte[4 * 28 * 28];
        new IdxFile(new int[] {4, 28, 28}, img).writeGzip(tmp.resolve("train-images-idx3-ubyte.gz"));
        new IdxFile(new int[] {4}, new byte[] {0, 1, 2, 1}).writeGzip(tmp.resolve("train-labels-idx1-ubyte.gz"));
        Files.write(tmp.resolve("t10k-images-idx3-ubyte"), new IdxFile(new int[] {2, 28, 28}, new byte[2 * 784]).toBytes());
        Files.write(tmp.resolve("t10k-labels-idx1-ubyte"), new IdxFile(new int[] {2}, new byte[] {2, 0}).toBytes());
        Dataset d = Datasets.load(tmp.toString());
        assertThat(d.numClasses()).isEqualTo(3);
        assertThat(d.test().count()).isEqualTo(2);
    }

    @Test
    void labelCountMismatchNamesTheFile() throws Exception {
        new IdxFile(new int[] {4, 28, 28}, new byte[4 * 784]).writeGzip(tmp.resolve("train-images-idx3-ubyte.gz"));
        new IdxFile(new int[] {3}, new byte[] {0, 1, 2}).writeGzip(tmp.resolve("train-labels-idx1-ubyte.gz"));
        new IdxFile(new int[] {1, 28, 28}, new byte[784]).writeGzip(tmp.resolve("t10k-images-idx3-ubyte.gz"));
        new IdxFile(new int[] {1}, new byte[] {0}).writeGzip(tmp.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThatThrownBy(() -> Datasets.load(tmp.toString())).hasMessageContaining("train-labels-idx1-ubyte.gz")
                .hasMessageContaining("3 labels for 4 images");
    }

    @Test
    void validationSplitIsStratifiedAndDisjointFromTraining() throws Exception {
        Dataset d = Datasets.load(Datasets.FASHION_SMALL);
        ImageSet[] parts = d.splitValidation(0.1, 7);
        assertThat(parts[1].count()).isEqualTo(1000);
        assertThat(parts[0].count()).isEqualTo(9000);
        assertThat(parts[1].classCounts(10)).containsOnly(100);
        ImageSet[] again = d.splitValidation(0.1, 7);
        assertThat(again[1]).isEqualTo(parts[1]);
    }

    @Test
    void batchesAreNormalisedAndShuffledPerEpoch() {
        byte[] img = {0, (byte) 255, 0, (byte) 255};
        ImageSet s = new ImageSet(img, new byte[] {0, 1, 0, 1}, 4, 1, 1);
        Batches b = new Batches(s, new Normalization(0.5, 0.5), 3);
        assertThat(b.count()).isEqualTo(2);
        int[] e1 = b.order(1, 1, true);
        assertThat(e1).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(b.order(1, 1, true)).isEqualTo(e1);
        try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            Batches.Batch batch = b.batch(m, new int[] {0, 1, 2, 3}, 1);
            assertThat(batch.size()).isEqualTo(1);
            assertThat(batch.images().toFloatArray()).containsExactly(1f);
            assertThat(batch.labels().toIntArray()).containsExactly(1);
        }
    }

    /** Batches are staged through one reused buffer: an earlier batch must not change when the next is made. */
    @Test
    void batchesOwnTheirMemoryAfterTheNextBatchIsMade() {
        byte[] img = {0, (byte) 255, 0, (byte) 255, (byte) 255, 0};
        ImageSet s = new ImageSet(img, new byte[] {0, 1, 0, 1, 1, 0}, 6, 1, 1);
        Batches b = new Batches(s, new Normalization(0.5, 0.5), 2);
        int[] order = {0, 1, 2, 3, 4, 5};
        try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            Batches.Batch first = b.batch(m, order, 0);
            Batches.Batch second = b.batch(m, order, 2);
            assertThat(first.images().toFloatArray()).containsExactly(-1f, 1f);
            assertThat(second.images().toFloatArray()).containsExactly(1f, -1f);
            assertThat(first.images().add(second.images()).toFloatArray()).containsExactly(0f, 0f);
        }
    }
}
