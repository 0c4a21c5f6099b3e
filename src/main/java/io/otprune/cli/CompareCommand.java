package io.otprune.cli;

import io.otprune.run.MaskComparison;
import io.otprune.util.Files2;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare the masks of two finished runs of the same model and granularity: per layer the "
                + "Jaccard overlap of the kept units, the shares kept by both, only A and only B, and for channels "
                + "which ones differ.")
final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_A", description = "A finished run folder.")
    Path runA;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "Another finished run folder of the same model.")
    Path runB;

    @Option(names = "--out", description = "Also write the comparison as JSON to this file.")
    Path out;

    @Mixin
    Main.CommonOptions common;

    @Override
    public Integer call() throws Exception {
        MaskComparison c;
        try {
            c = MaskComparison.of(runA, runB);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        System.out.println(c.table());
        if (out != null) {
            Files2.writeAtomically(out, c.json());
            System.out.println("wrote " + out.toAbsolutePath());
        }
        return 0;
    }
}
