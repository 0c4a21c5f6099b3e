package io.otprune.ui;

import io.otprune.train.RunEvent;
import java.util.Arrays;
import java.util.Locale;
import javafx.scene.Node;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Per ReLU: the mean binary entropy of its non-constant channels (bits) and the share of its channels that are
 * constant (always on or off); a layer whose channels are all constant is linear and marked removable (egp runs).
 */
final class EntropyView implements WorkbenchView {
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final JFreeChart chart = Charts.bars("Activation entropy per ReLU (egp)", "bits / share", data);
    private final ChartViewer viewer;

    EntropyView(Context ctx) {
        WorkbenchViewModel vm = ctx.vm();
        viewer = ctx.charts().viewer(chart, "entropyChart");
        ctx.charts().onDataChanged(() -> ctx.charts().update(chart,
                Arrays.asList(vm.lastRunDir.get(), vm.lastEntropy()), () -> fill(vm.lastEntropy())));
    }

    private void fill(RunEvent.Entropy e) {
        data.clear();
        if (e == null) {
            return;
        }
        for (int i = 0; i < e.layers().size(); i++) {
            String name = e.layers().get(i);
            String label = e.removable().contains(name) ? name + " · removable" : name;
            data.addValue(e.entropy().get(i), "entropy (bits)", label);
            data.addValue((e.alwaysOn().get(i) + e.alwaysOff().get(i)) / (double) e.channels().get(i),
                    "constant channels (share)", label);
        }
        chart.setTitle(String.format(Locale.ROOT, "Activation entropy per ReLU · %s · sparsity %.3f",
                e.iteration() > e.iterations() ? "final" : "iteration " + e.iteration() + "/" + e.iterations(),
                e.sparsity()));
    }

    @Override
    public Node node() {
        return viewer;
    }
}
