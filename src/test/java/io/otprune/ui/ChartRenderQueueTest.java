package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

class ChartRenderQueueTest {
    @Test
    void changesAreSilentUntilRenderedAndEachPendingChartRendersOnce() {
        XYSeries s = new XYSeries("s");
        JFreeChart a = Charts.line("a", "x", "y", new XYSeriesCollection(s));
        JFreeChart b = Charts.line("b", "x", "y", new XYSeriesCollection());
        AtomicInteger aEvents = new AtomicInteger(), bEvents = new AtomicInteger();
        a.addChangeListener(e -> aEvents.incrementAndGet());
        b.addChangeListener(e -> bEvents.incrementAndGet());
        ChartRenderQueue q = new ChartRenderQueue();
        q.change(a, () -> {
            for (int i = 0; i < 10; i++) {
                s.add(i, i);
            }
        });
        q.change(a, () -> s.add(10, 10)); // still one pending render
        q.change(b, () -> b.setTitle("b2"));
        assertThat(aEvents.get()).isZero();
        assertThat(q.pending()).isEqualTo(2);

        assertThat(q.render(0)).isEqualTo(1); // a zero budget still renders the oldest chart
        assertThat(aEvents.get()).isEqualTo(1);
        assertThat(bEvents.get()).isZero();
        assertThat(q.render(Long.MAX_VALUE)).isEqualTo(1);
        assertThat(bEvents.get()).isEqualTo(1);
        assertThat(q.pending()).isZero();

        s.add(11, 11); // not pending: notifications are back on
        assertThat(aEvents.get()).isEqualTo(2);
    }

    @Test
    void aPulseDrawsOnlyTheChartsExpectedToFitItsBudget() {
        JFreeChart slow = Charts.line("slow", "x", "y", new XYSeriesCollection());
        JFreeChart fast = Charts.line("fast", "x", "y", new XYSeriesCollection());
        slow.addChangeListener(e -> sleep(30)); // a draw that takes 30 ms
        ChartRenderQueue q = new ChartRenderQueue();
        q.change(slow, () -> slow.setTitle("s1"));
        assertThat(q.render(0)).isEqualTo(1);

        // fast has never been drawn: it is expected to take as long as the longest draw seen (30 ms)
        q.change(fast, () -> fast.setTitle("f1"));
        assertThat(q.render(20_000_000L)).isEqualTo(1);
        // fast now costs ~0 and is drawn first; slow (30 ms last time) does not fit in the 20 ms left
        q.change(fast, () -> fast.setTitle("f2"));
        q.change(slow, () -> slow.setTitle("s2"));
        assertThat(q.pending()).isEqualTo(2);
        assertThat(q.render(20_000_000L)).isEqualTo(1);
        assertThat(q.pending()).isEqualTo(1);
        q.change(fast, () -> fast.setTitle("f3"));
        assertThat(q.render(200_000_000L)).isEqualTo(2); // a budget with room for both
        assertThat(q.pending()).isZero();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aChartWhoseViewIsHiddenIsParkedUntilShownAndDoesNotKeepThePulsesGoing() {
        JFreeChart shown = Charts.line("shown", "x", "y", new XYSeriesCollection());
        JFreeChart hidden = Charts.line("hidden", "x", "y", new XYSeriesCollection());
        AtomicInteger hiddenEvents = new AtomicInteger();
        hidden.addChangeListener(e -> hiddenEvents.incrementAndGet());
        ChartRenderQueue q = new ChartRenderQueue();
        q.change(hidden, () -> hidden.setTitle("h1"));
        q.change(shown, () -> shown.setTitle("s1"));
        assertThat(q.render(Long.MAX_VALUE, c -> c != hidden)).isEqualTo(1);
        assertThat(q.pending()).as("parked, not pending: no pulse asked for it").isZero();
        assertThat(hiddenEvents.get()).isZero();
        assertThat(hidden.isNotify()).isFalse();

        q.change(hidden, () -> hidden.setTitle("h2")); // changed again while hidden: still one draw due
        assertThat(q.render(Long.MAX_VALUE, c -> c != hidden)).isZero();
        assertThat(q.unpark(hidden)).isTrue();
        assertThat(q.unpark(hidden)).isFalse();
        assertThat(q.render(Long.MAX_VALUE, c -> true)).isEqualTo(1);
        assertThat(hiddenEvents.get()).isEqualTo(1);
        assertThat(hidden.getTitle().getText()).isEqualTo("h2");
        assertThat(q.pending()).isZero();
    }
}
