package io.otprune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.otprune.data.DataKind;
import io.otprune.data.Dataset;
import io.otprune.data.Datasets;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data subcommands and the data options of train and eval, on small generated folders. */
class DataCliTest {
    @TempDir
    Path tmp;

    /** Two classes told apart by brightness, 16x16 colour PNGs; n per class and split. */
    private Path twoClassFolder(int n) throws Exception {
        Path root = tmp.resolve("imgs");
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 2; c++) {
                Path dir = Files.createDirectories(root.resolve(split).resolve(c == 0 ? "dark" : "light"));
                for (int i = 0; i < n; i++) {
                    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
                    for (int p = 0; p < 256; p++) {
                        int v = (c == 0 ? 20 : 200) + (p * 7 + i) % 40;
                        img.setRGB(p % 16, p / 16, v << 16 | v << 8 | (255 - v));
                    }
                    ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
                }
            }
        }
        return root;
    }

    @Test
    void exportWritesPngFoldersAndCifarFilesThatInfoReads() throws Exception {
        Path cifar = tmp.resolve("cifar");
        CliTest.Result r = CliTest.run("data", "export", "--data", "mnist-small", "--format", "cifar", "--out",
                cifar.toString());
        assertThat(r.code()).as(r.err()).isZero();
        CliTest.Result info = CliTest.run("data", "info", cifar.toString());
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).contains("kind:     cifar-10").contains("32x32, 3 channels").contains("8,000 images")
                .contains("mean/std: [");
        Path png = tmp.resolve("png");
        assertThat(CliTest.run("data", "export", "--data", "mnist-small", "--format", "png", "--out", png.toString())
                .code()).isZero();
        Dataset back = Datasets.load(png.toString());
        Dataset orig = Datasets.load(Datasets.MNIST_SMALL);
        assertThat(back.kind()).isEqualTo(DataKind.IMAGE_FOLDERS_SPLIT);
        assertThat(back.classNames()).startsWith("0_0", "1_1");
        // same images and labels, the order within a class aside: compare per-class pixel sums
        assertThat(back.train().classCounts(10)).containsExactly(orig.train().classCounts(10));
        assertThat(back.train().pixelMeanStd()).containsExactly(orig.train().pixelMeanStd());
        CliTest.Result again = CliTest.run("data", "export", "--data", "mnist-small", "--format", "png", "--out",
                png.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("exists and is not empty");
    }

    @Test
    void trainOnImageFoldersThenEvalAndRefusals() throws Exception {
        Path data = twoClassFolder(12);
        Path out = tmp.resolve("run");
        CliTest.Result r = CliTest.run("train", "--model", "mlp-300-100", "--data", data.toString(), "--epochs", "2",
                "--batch-size", "8", "--augment", "--data-loading", "stream", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("image-folders").contains("streamed from disk");
        String modelJson = Files.readString(out.resolve("model/model.json"));
        // the graph's input is the data's three channels; the normalisation is per channel
        assertThat(modelJson.replaceAll("\\s", "")).contains("\"input\":[3,16,16]").contains("\"mean\":[");
        assertThat(Files.readString(out.resolve("run.json"))).contains("\"augment\": true");
        CliTest.Result ev = CliTest.run("eval", "--model", out.resolve("model").toString());
        assertThat(ev.code()).as(ev.err()).isZero();
        assertThat(ev.out()).contains("difference +0.00 points");

        // a model of 10 classes on a data set of 2: refused in one line, and train writes nothing
        CliTest.Result wrong = CliTest.run("eval", "--model", "sample-models/lenet5-fmnist", "--data", data.toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err().strip().lines()).hasSize(1);
        assertThat(wrong.err()).contains("has 10 classes but data set");
        Path refused = tmp.resolve("refused");
        CliTest.Result cont = CliTest.run("train", "--model", "sample-models/lenet5-fmnist", "--data", data.toString(),
                "--epochs", "1", "--out", refused.toString());
        assertThat(cont.code()).isEqualTo(2);
        assertThat(refused).doesNotExist();

        // a truncated image: fail names it before training and writes nothing; skip goes on
        Path bad = data.resolve("train/dark/3.png");
        byte[] bytes = Files.readAllBytes(bad);
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CliTest.Result fail = CliTest.run("train", "--model", "mlp-300-100", "--data", data.toString(), "--epochs", "1",
                "--out", refused.toString());
        assertThat(fail.code()).isEqualTo(2);
        assertThat(fail.err()).contains("1 of 48 images cannot be read").contains("3.png").contains("--on-bad-image skip");
        assertThat(refused).doesNotExist();
        CliTest.Result skip = CliTest.run("train", "--model", "mlp-300-100", "--data", data.toString(), "--epochs", "1",
                "--batch-size", "8", "--on-bad-image", "skip", "--out", refused.toString());
        assertThat(skip.code()).as(skip.err()).isZero();
        assertThat(skip.out()).contains("left out 1 of 48 images");
    }
}
