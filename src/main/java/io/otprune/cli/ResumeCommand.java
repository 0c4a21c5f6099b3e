package io.otprune.cli;

import io.otprune.data.DatasetException;
import io.otprune.model.ModelFormatException;
import io.otprune.run.PruneRun;
import io.otprune.run.PruneSummary;
import io.otprune.train.RunControl;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue an interrupted prune run from its last checkpoint (the end of its last finished epoch) "
                + "with the settings in its run.json; it ends with the files an uninterrupted run writes. A run that "
                + "stopped before its first epoch ended starts again; a finished run is refused.")
final class ResumeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "The run folder (the --out of the prune command).")
    Path dir;

    @Mixin
    Main.CommonOptions common;

    @Override
    public Integer call() throws Exception {
        RunControl control = new RunControl();
        Runtime.getRuntime().addShutdownHook(new Thread(control::cancel));
        try {
            PruneSummary s = PruneRun.resume(dir, Progress::print, control);
            System.out.println(Progress.summary(s));
            System.out.println("run folder: " + dir.toAbsolutePath());
            return 0;
        } catch (ModelFormatException | DatasetException | UnsupportedOperationException
                | IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
