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
}
