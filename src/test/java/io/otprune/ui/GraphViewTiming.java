package io.otprune.ui;

import io.otprune.model.Graph;
import io.otprune.model.Network;
import io.otprune.model.TestGraphs;
import io.otprune.prune.NodeUnits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * Measures opening the graph view on deep CIFAR-style ResNets (6n+2 layers; n = 18 is 385 nodes): tracing the
 * units (on the model's loading thread in the app), then on the FX thread laying the graph out, fitting it and the
 * first draw, each open timed in turn. Headless like the tests. Optional first argument: a folder for PNG snapshots
 * of each fitted view. Run from the repository root:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.otprune.ui.GraphViewTiming [DIR]}.
 */
public final class GraphViewTiming {
    private GraphViewTiming() {}

    public static void main(String[] args) throws Exception {
        for (String[] p : new String[][] {{"testfx.robot", "glass"}, {"testfx.headless", "true"},
                {"prism.order", "sw"}, {"glass.platform", "Monocle"}, {"monocle.platform", "Headless"},
                {"java.awt.headless", "true"}}) {
            System.setProperty(p[0], System.getProperty(p[0], p[1]));
        }
        Path shots = args.length > 0 ? Path.of(args[0]) : null;
        Path runs = Files.createTempDirectory("otprune-graph-timing");
        Platform.startup(() -> {});
        WorkbenchViewModel vm = onFx(() -> new WorkbenchViewModel(Platform::runLater, Path.of("sample-models"), runs));
        GraphView view = onFx(() -> new GraphView(vm));
        Stage stage = onFx(() -> {
            Stage s = new Stage();
            s.setScene(new Scene(view, 1200, 750));
            s.show();
            return s;
        });
        int repeats = 7;
        for (int n : new int[] {3, 9, 18}) {
            Graph g = TestGraphs.resnet(n);
            double[] units = new double[repeats], open = new double[repeats], draw = new double[repeats],
                    cpu = new double[repeats];
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            int bands = 0, drawn = 0;
            for (int r = 0; r < repeats; r++) {
                long u0 = System.nanoTime();
                NodeUnits u = NodeUnits.of(new Network(g));
                units[r] = (System.nanoTime() - u0) / 1e6;
                long[] t = new long[4];
                onFx(() -> {
                    t[2] = mx.getCurrentThreadCpuTime();
                    t[0] = System.nanoTime();
                    view.show(g, u); // lays out; the first draw (with the fit) follows in this event queue
                    return null;
                });
                onFx(() -> {
                    t[1] = System.nanoTime();
                    t[3] = mx.getCurrentThreadCpuTime();
                    return null;
                });
                open[r] = (t[1] - t[0]) / 1e6;
                cpu[r] = (t[3] - t[2]) / 1e6;
                draw[r] = view.lastDrawNanos() / 1e6;
                bands = view.graphLayout().bands();
                drawn = view.drawnNodes().size();
            }
            System.out.printf(Locale.ROOT, "resnet(%d): %d nodes, %d layers, %d bands, %d boxes drawn · units traced "
                    + "%.1f ms first, median %.1f · open to first draw (FX thread) %.1f ms first, median %.1f · of "
                    + "which the draw %.1f ms first, median %.1f · FX thread CPU time %.1f ms first, median %.1f%n", n,
                    g.nodes().size(), view.graphLayout().layerCount(), bands, drawn, units[0], median(units), open[0],
                    median(open), draw[0], median(draw), cpu[0], median(cpu));
            if (shots != null) {
                Files.createDirectories(shots);
                Path png = shots.resolve("graph-view-resnet" + (6 * n + 2) + ".png");
                onFx(() -> {
                    javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(
                            stage.getScene().snapshot(null), null), "png", png.toFile());
                    return null;
                });
                System.out.println("  snapshot " + png);
            }
        }
        simulatedRun(vm, view, stage, shots);
        onFx(() -> {
            stage.close();
            vm.close();
            return null;
        });
        io.otprune.util.Files2.deleteRecursively(runs);
        Platform.exit();
    }

    /**
     * The view during a run, without the training: resnet20 (structured) opened as the window opens it, then a prune
     * event every 100 ms for 20 s, each with new kept fractions for every channel group (every node recoloured, the
     * worst case), drained on the FX thread as the window's ticker does. Measured: the FX thread's time per update
     * (drain, recolour and the draw it asks for) and the pulses, as UiPerformance measures them (from before a
     * pulse's CSS pass until the FX thread takes its next event).
     */
    private static void simulatedRun(WorkbenchViewModel vm, GraphView view, Stage stage, Path shots)
            throws Exception {
        onFx(() -> {
            vm.granularity.set(io.otprune.prune.PruneConfig.Granularity.STRUCTURED);
            vm.loadModel(Path.of("sample-models", "resnet20-fmnist"));
            return null;
        });
        long until = System.nanoTime() + 60_000_000_000L;
        while (onFx(() -> vm.model.get() == null || vm.preview.get() == null || vm.preview.get().layers().isEmpty())) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("resnet20 did not load");
            }
            Thread.sleep(50);
        }
        java.util.List<String> sets = onFx(() -> vm.model.get().setNames(vm.granularity.get()));
        java.util.List<Double> pulses = new java.util.ArrayList<>();
        long[] pulseStart = {0};
        onFx(() -> {
            stage.getScene().addPreLayoutPulseListener(() -> {
                if (pulseStart[0] == 0) {
                    pulseStart[0] = System.nanoTime();
                    Platform.runLater(() -> {
                        pulses.add((System.nanoTime() - pulseStart[0]) / 1e6);
                        pulseStart[0] = 0;
                    });
                }
            });
            return null;
        });
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Random random = new java.util.Random(1);
        java.util.List<double[]> updates = new java.util.ArrayList<>();
        int draws0 = view.draws();
        for (int step = 0; step < 200; step++) {
            java.util.List<Double> kept = new java.util.ArrayList<>();
            sets.forEach(x -> kept.add(random.nextInt(101) / 100.0));
            vm.post(new io.otprune.train.RunEvent.Prune("prune", step, 200, 0.5, 0.9, 0.99, 0.5, 0.5,
                    java.util.List.of(0.1), sets, kept, kept));
            long[] t = new long[4];
            onFx(() -> {
                t[0] = System.nanoTime();
                t[2] = mx.getCurrentThreadCpuTime();
                vm.drain();
                return null;
            });
            onFx(() -> { // after the draw the drain asked for
                t[1] = System.nanoTime();
                t[3] = mx.getCurrentThreadCpuTime();
                return null;
            });
            updates.add(new double[] {(t[1] - t[0]) / 1e6, (t[3] - t[2]) / 1e6});
            Thread.sleep(100);
        }
        double[] wall = updates.stream().mapToDouble(u -> u[0]).sorted().toArray();
        double[] cpu = updates.stream().mapToDouble(u -> u[1]).sorted().toArray();
        double[] p = onFx(() -> pulses.stream().mapToDouble(Double::doubleValue).sorted().toArray());
        System.out.printf(Locale.ROOT, "simulated run, resnet20 structured (%d groups, %d nodes), 200 prune events "
                + "10/s: %d draws · FX thread per update wall median %.1f ms, p99 %.1f, max %.1f; CPU median %.1f ms, "
                + "max %.1f · pulses %d: median %.1f ms, p99 %.1f, max %.1f, over 50 ms %d%n", sets.size(),
                vm.model.get().info().graph().nodes().size(), view.draws() - draws0, wall[wall.length / 2],
                wall[(int) (wall.length * 0.99)], wall[wall.length - 1], cpu[cpu.length / 2], cpu[cpu.length - 1],
                p.length, p.length == 0 ? 0 : p[p.length / 2], p.length == 0 ? 0 : p[(int) (p.length * 0.99)],
                p.length == 0 ? 0 : p[p.length - 1], java.util.Arrays.stream(p).filter(x -> x > 50).count());
        if (shots != null) {
            Path png = shots.resolve("graph-view-resnet20-run.png");
            onFx(() -> {
                javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(
                        stage.getScene().snapshot(null), null), "png", png.toFile());
                return null;
            });
            System.out.println("  snapshot " + png);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private interface FxCall<T> {
        T call() throws Exception;
    }

    private static <T> T onFx(FxCall<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Exception | Error e) {
                f.completeExceptionally(e);
            }
        });
        return f.get();
    }
}
