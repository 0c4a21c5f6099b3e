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
        onFx(() -> {
            stage.close();
            vm.close();
            return null;
        });
        io.otprune.util.Files2.deleteRecursively(runs);
        Platform.exit();
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
