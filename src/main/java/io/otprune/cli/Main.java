package io.otprune.cli;

import io.otprune.util.Versions;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code otprune} command line. Exit codes: 0 ok, 2 usage error, 1 failure with one clear line on stderr
 * (the stack trace only with {@code --verbose}).
 */
@Command(name = "otprune", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Optimal-transport pruning workbench: train, prune, evaluate and inspect small vision models.",
        subcommands = {TrainCommand.class, PruneCommand.class, ResumeCommand.class, RunsCommand.class,
                SweepCommand.class, EvalCommand.class, InspectCommand.class, DataCommand.class, BenchCommand.class,
                ImportCommand.class, ExportCommand.class, SensitivityCommand.class, CompareCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            if (ex instanceof UsageException) {
                commandLine.getErr().println("otprune: " + oneLine(ex)); // messages quoting a parser can hold newlines
                return 2;
            }
            commandLine.getErr().println("otprune: error: " + oneLine(ex));
            if (verbose) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("otprune: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for usage.");
            return 2;
        });
        return cl.execute(args);
    }

    static String oneLine(Throwable ex) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        return msg.replace('\n', ' ');
    }

    /** Prints project, DJL, PyTorch and Java versions and the CPU (loads the engine). */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Map<String, String> v = Versions.all();
            return new String[] {
                "otprune " + v.get("project"),
                "DJL " + v.get("djl") + ", PyTorch " + v.get("pytorch"),
                "Java " + v.get("java") + " at " + System.getProperty("java.home"),
                "CPU: " + v.get("cpu"),
                "device: " + io.otprune.train.Devices.describe(),
                "native libraries: " + Versions.nativeCache() + " (set DJL_CACHE_DIR to move them)",
                "CPU convolution check: " + io.otprune.model.ConvolutionGuard.summary(),
                "host allocator: " + io.otprune.train.HostAllocator.apply(),
                "subnormal floats: " + io.otprune.train.Denormals.flushOnThisThread(),
                "garbage collector: " + collector()
            };
        }

        /**
         * The JVM's collectors, and where G1 is one of them the option the launchers use instead
         * (docs/benchmarks.md §12, session 28).
         */
        static String collector() {
            java.util.List<String> names = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
                    .stream().map(java.lang.management.GarbageCollectorMXBean::getName).toList();
            String all = String.join(", ", names);
            return names.stream().anyMatch(n -> n.startsWith("G1"))
                    ? all + " (the launchers use -XX:+UseSerialGC: long runs were faster with it)" : all;
        }
    }

    /** Options every command takes. */
    static final class CommonOptions {
        @Option(names = "--verbose", description = "Print stack traces of errors.")
        boolean verbose;
    }
}
