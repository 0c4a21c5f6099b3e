package io.otprune.ui;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * Charts whose data changed and that still have to be drawn. A JFreeChart-FX chart re-renders synchronously on
 * every change notification (5-40 ms each here), so changes are made with notifications off and the renders are
 * spread over the following pulses, a few milliseconds' worth per pulse: the FX thread is never blocked for all
 * charts at once. A chart not pending keeps notifications on, so zooming and resizing draw at once as usual.
 */
final class ChartRenderQueue {
    // by identity, oldest first: a JFreeChart's equals/hashCode follow its mutable content
    private final List<JFreeChart> pending = new ArrayList<>();
    private java.util.function.ObjLongConsumer<JFreeChart> timing = (c, ns) -> { };

    /** Told each chart drawn and how long its draw took (for the window's performance figures). */
    void onRendered(java.util.function.ObjLongConsumer<JFreeChart> timing) {
        this.timing = timing;
    }

    /** Applies {@code change} to {@code chart} without drawing it, and queues the draw. */
    void change(JFreeChart chart, Runnable change) {
        if (pending.stream().noneMatch(c -> c == chart)) {
            pending.add(chart);
            chart.setNotify(false);
        }
        change.run();
    }

    /** Draws pending charts, oldest first, until {@code budgetNanos} are used (at least one per call). */
    int render(long budgetNanos) {
        long start = System.nanoTime();
        int n = 0;
        Iterator<JFreeChart> it = pending.iterator();
        while (it.hasNext() && (n == 0 || System.nanoTime() - start < budgetNanos)) {
            JFreeChart c = it.next();
            it.remove();
            long t0 = System.nanoTime();
            c.setNotify(true); // fires one change event: one render
            timing.accept(c, System.nanoTime() - t0);
            n++;
        }
        return n;
    }

    int pending() {
        return pending.size();
    }
}
