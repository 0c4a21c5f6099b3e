package io.otprune.ui;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * Charts whose data changed and that still have to be drawn. A JFreeChart-FX chart re-renders synchronously on
 * every change notification (1.5-4 ms each here, up to 40 ms before it was JIT-compiled), so changes are made with
 * notifications off and the renders are done by the pulses that follow, within a time budget per pulse: the FX
 * thread is never blocked for all charts at once. A chart not pending keeps notifications on, so zooming and
 * resizing draw at once as usual.
 */
final class ChartRenderQueue {
    // by identity, oldest first: a JFreeChart's equals/hashCode follow its mutable content
    private final List<JFreeChart> pending = new ArrayList<>();
    /** Changed charts not drawn because their view is hidden: drawn once {@link #unpark}ed (shown). */
    private final List<JFreeChart> parked = new ArrayList<>();
    private final java.util.Map<JFreeChart, Long> lastCost = new java.util.IdentityHashMap<>();
    private long longestCost;
    private java.util.function.ObjLongConsumer<JFreeChart> timing = (c, ns) -> { };

    /** Told each chart drawn and how long its draw took (for the window's performance figures). */
    void onRendered(java.util.function.ObjLongConsumer<JFreeChart> timing) {
        this.timing = timing;
    }

    /** Applies {@code change} to {@code chart} without drawing it, and queues the draw. */
    void change(JFreeChart chart, Runnable change) {
        parked.removeIf(c -> c == chart);
        if (pending.stream().noneMatch(c -> c == chart)) {
            pending.add(chart);
            chart.setNotify(false);
        }
        change.run();
    }

    /**
     * Draws pending charts, oldest first, while each next one is expected to fit in {@code budgetNanos} (its last
     * draw time, or the longest seen for a chart not drawn yet); at least one per call, so a budget already spent
     * (zero or negative) still draws one. A chart that is not {@code drawable} (its view hidden) is parked instead:
     * drawing a chart in a hidden tab made JavaFX repaint the whole window (60-110 ms of software rendering here).
     */
    int render(long budgetNanos, java.util.function.Predicate<JFreeChart> drawable) {
        long start = System.nanoTime();
        int n = 0;
        Iterator<JFreeChart> it = pending.iterator();
        while (it.hasNext()) {
            JFreeChart c = it.next();
            if (!drawable.test(c)) {
                it.remove();
                parked.add(c);
                continue;
            }
            long expected = lastCost.getOrDefault(c, longestCost);
            if (n > 0 && System.nanoTime() - start + expected > budgetNanos) {
                break;
            }
            it.remove();
            long t0 = System.nanoTime();
            c.setNotify(true); // fires one change event: one render
            long took = System.nanoTime() - t0;
            lastCost.put(c, took);
            longestCost = Math.max(longestCost, took);
            timing.accept(c, took);
            n++;
        }
        return n;
    }

    /** Draws every pending chart (as {@link #render(long, java.util.function.Predicate)} with no budget, all drawable). */
    int render(long budgetNanos) {
        return render(budgetNanos, c -> true);
    }

    /** Queues a parked chart again (its view is shown); false when it was not parked. */
    boolean unpark(JFreeChart chart) {
        if (!parked.removeIf(c -> c == chart)) {
            return false;
        }
        pending.add(chart);
        return true;
    }

    /** Charts to draw (parked ones not counted: they wait for their view, not for a pulse). */
    int pending() {
        return pending.size();
    }
}
