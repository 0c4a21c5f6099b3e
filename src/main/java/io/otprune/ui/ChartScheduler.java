package io.otprune.ui;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.scene.Scene;
import org.jfree.chart.JFreeChart;

/**
 * When the window's charts take their data and when they are drawn, shared by every view that has charts. A view
 * registers its redraw with {@link #onDataChanged}; each redraw hands its charts to {@link #update} with a token of
 * what the chart shows, and only a chart whose token changed is refilled and queued ({@link ChartRenderQueue});
 * the queue is drawn by the pulses, within {@link #CHART_BUDGET_NANOS} a pulse.
 *
 * <p>Nothing here asks for pulses when nothing changed. A helper thread hands queued run events to the FX thread
 * {@link #REDRAW_NANOS} apart (only when there are some), and the charts those events changed are drawn by a
 * post-layout pulse listener, in the same pulse as the progress line, until that pulse has used
 * {@link #CHART_BUDGET_NANOS} (one chart a pulse by default; it asks for the next pulse while some are pending). The
 * first version polled from an AnimationTimer, which keeps JavaFX pulsing at 60 Hz for the window's whole life, idle
 * or not. Every frame costs more than its dirty regions: with software rendering (Prism's sw pipeline, e.g. under
 * Xvfb) each one copies and uploads the whole window, so fewer, fuller frames are cheaper, while the budget keeps one
 * pulse short when much changes at once (a run's start clears every chart). On a 2-core machine all of this CPU is
 * taken from training twice over: one of PyTorch's two threads is preempted and the other waits for it at the next
 * barrier (docs/benchmarks.md §5).
 */
final class ChartScheduler {
    /**
     * How often run events reach the progress line and the charts. Each JFreeChart draw costs 1.5-4 ms of the FX
     * thread here plus as much again of the renderer's; on a 2-core machine every millisecond of that preempts one of
     * PyTorch's two threads while the other waits for it, so it costs training twice (docs/benchmarks.md §5: at 10 Hz
     * the window trained at 0.73x the CLI's speed). Twice a second on machines with 2 cores or fewer, 4 times with
     * more; -Dotprune.redrawMs overrides.
     */
    static final long REDRAW_NANOS = Long.getLong("otprune.redrawMs",
            Runtime.getRuntime().availableProcessors() <= 2 ? 500 : 250) * 1_000_000L;
    /**
     * FX-thread time a pulse may use (CSS and layout included) before the charts still to draw wait for the next;
     * 0, the default, draws one chart a pulse. A budget on the FX thread's time cannot see a chart's larger cost:
     * the render thread rasterises the chart's canvas again (10-25 ms of its CPU for a 500×180 chart with Prism's
     * software pipeline), and the next pulse waits for it. With a 16 ms budget, 2-4 charts that each drew in 3-6 ms
     * went into one pulse and 7-9 pulses of a run lasted 55-98 ms; one chart a pulse: p99 31 ms, nothing over 50 ms
     * after the run's first 3 s (docs/benchmarks.md §11). -Dotprune.chartBudgetMs sets a budget.
     */
    static final long CHART_BUDGET_NANOS = Long.getLong("otprune.chartBudgetMs", 0) * 1_000_000L;

    private final WorkbenchViewModel vm;
    private final UiPerformance perf;
    private final ChartRenderQueue renderQueue = new ChartRenderQueue();
    /** What each chart last showed (a token per chart), so a redraw touches only the charts whose data changed. */
    private final Map<JFreeChart, Object> drawn = new IdentityHashMap<>(); // charts hash by content
    /** Names for the performance figures of charts whose title says less (the histogram's is its axis). */
    private final Map<JFreeChart, String> names = new IdentityHashMap<>();
    private final List<Runnable> redraws = new ArrayList<>();
    /** The node that shows each chart (by identity), to draw a chart only while it is shown. */
    private final Map<JFreeChart, javafx.scene.Node> shownIn = new IdentityHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "otprune-ui-ticker");
        t.setDaemon(true);
        return t;
    });

    ChartScheduler(WorkbenchViewModel vm, UiPerformance perf) {
        this.vm = vm;
        this.perf = perf;
        vm.chartVersion.addListener((o, a, b) -> refresh());
        renderQueue.onRendered((chart, ns) -> perf.rendered(names.containsKey(chart) ? names.get(chart)
                : chart.getTitle() == null ? "?" : chart.getTitle().getText(), ns));
    }

    /**
     * A viewer for a chart this scheduler updates: its draws wait while the viewer is hidden (another tab in front)
     * and happen when it is shown.
     */
    org.jfree.chart.fx.ChartViewer viewer(JFreeChart chart, String id) {
        org.jfree.chart.fx.ChartViewer v = ViewParts.viewer(chart, id);
        shownIn.put(chart, v);
        ViewParts.whenShown(v, () -> {
            if (renderQueue.unpark(chart)) {
                Platform.requestNextPulse();
            }
        });
        return v;
    }

    private boolean drawable(JFreeChart chart) {
        javafx.scene.Node n = shownIn.get(chart);
        return n == null || ViewParts.showing(n);
    }

    /** Runs {@code redraw} whenever the run's series change (and on {@link #refresh}). */
    void onDataChanged(Runnable redraw) {
        redraws.add(redraw);
    }

    /** The name a chart's draws are counted under in the performance figures (its title by default). */
    void name(JFreeChart chart, String name) {
        names.put(chart, name);
    }

    /** Every view's redraw: each chart whose data changed is refilled and queued. */
    void refresh() {
        redraws.forEach(Runnable::run);
    }

    /**
     * Refills {@code chart} by {@code change} and queues its draw, unless it already shows {@code token}. Rendering
     * is left to the pulses, which drain the queue within a time budget, so one redraw never blocks the FX thread for
     * every chart's render.
     */
    void update(JFreeChart chart, Object token, Runnable change) {
        if (Objects.equals(drawn.get(chart), token)) {
            return;
        }
        drawn.put(chart, token);
        renderQueue.change(chart, () -> {
            change.run();
            Charts.shapesOnlyWhenFew(chart);
        });
        Platform.requestNextPulse(); // drawn by the pulse listener of start
    }

    /** Charts changed but not drawn yet. */
    int pending() {
        return renderQueue.pending();
    }

    /** Draws every pending chart now, whatever it costs (for a screenshot). */
    void renderAll() {
        renderQueue.render(Long.MAX_VALUE);
    }

    /** Starts handing run events to the FX thread and drawing the charts in {@code scene}'s pulses. */
    void start(Scene scene) {
        AtomicBoolean queued = new AtomicBoolean();
        ticker.scheduleWithFixedDelay(() -> {
            if (vm.hasPendingEvents() && queued.compareAndSet(false, true)) {
                Platform.runLater(() -> {
                    queued.set(false);
                    long t0 = System.nanoTime();
                    vm.drain();
                    perf.work(System.nanoTime() - t0, vm.running.get());
                });
            }
        }, REDRAW_NANOS, REDRAW_NANOS, TimeUnit.NANOSECONDS);
        long[] pulseStart = new long[1];
        scene.addPreLayoutPulseListener(() -> pulseStart[0] = System.nanoTime());
        // after layout and before the scene is copied to the render thread: the charts are painted in this frame
        scene.addPostLayoutPulseListener(() -> {
            if (renderQueue.pending() > 0) {
                long t0 = System.nanoTime();
                renderQueue.render(CHART_BUDGET_NANOS - (t0 - pulseStart[0]), this::drawable);
                perf.work(System.nanoTime() - t0, vm.running.get());
                if (renderQueue.pending() > 0) {
                    Platform.requestNextPulse();
                }
            }
        });
    }

    void stop() {
        ticker.shutdownNow();
    }
}
