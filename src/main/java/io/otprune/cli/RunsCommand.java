package io.otprune.cli;

import io.otprune.run.RunHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List the run folders under a folder (default: the window's ~/.otprune/runs), or one run folder: "
                + "finished (summary.json written) or interrupted (and how far it got; 'otprune resume' continues it).")
final class RunsCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "DIR", description = "A folder of run folders, or one run folder.")
    Path root;

    @Mixin
    Main.CommonOptions common;

    @Override
    public Integer call() throws Exception {
        Path r = root != null ? root : Path.of(System.getProperty("user.home"), ".otprune", "runs");
        if (!Files.isDirectory(r)) {
            throw new UsageException(r + " is not a folder");
        }
        List<Path> dirs;
        if (Files.isRegularFile(r.resolve("run.json")) || Files.isRegularFile(r.resolve("summary.json"))) {
            dirs = List.of(r);
        } else {
            try (Stream<Path> s = Files.list(r)) {
                dirs = s.filter(Files::isDirectory).sorted().toList();
            }
        }
        int finished = 0, interrupted = 0, other = 0;
        for (Path d : dirs) {
            RunHistory.State st = RunHistory.state(d);
            switch (st.kind()) {
                case FINISHED -> {
                    finished++;
                    RunHistory.Entry e = RunHistory.read(d);
                    System.out.printf(Locale.ROOT, "finished     %s  %s %s %s sparsity %.4f, final accuracy %.2f%%%n",
                            d, Path.of(e.model()).getFileName(), e.summary().method().toLowerCase(Locale.ROOT),
                            e.summary().granularity().toLowerCase(Locale.ROOT), e.summary().achievedSparsity(),
                            100 * e.summary().finalAccuracy());
                }
                case INTERRUPTED -> {
                    interrupted++;
                    RunHistory.Interrupted i = RunHistory.interrupted(d);
                    System.out.printf(Locale.ROOT, "interrupted  %s  %s %s %s sparsity %s: %s%n", d,
                            i == null ? "?" : Path.of(i.model()).getFileName(), i == null ? "?" : i.method(),
                            i == null ? "?" : i.granularity(), i == null ? "?" : i.sparsity(), st.detail());
                }
                default -> {
                    other++;
                    if (root != null && dirs.size() == 1) {
                        System.out.println("not a run    " + d + ": " + st.detail());
                    }
                }
            }
        }
        System.out.printf("%d finished, %d interrupted, %d other folder(s)%n", finished, interrupted, other);
        return 0;
    }
}
