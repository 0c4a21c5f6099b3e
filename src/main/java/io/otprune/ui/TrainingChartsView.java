package io.otprune.ui;

import java.util.Arrays;
import javafx.scene.Node;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.RowConstraints;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The run's curves over epochs: loss, accuracy, mask sharpness with the kept share, and the temperature ε. */
final class TrainingChartsView implements WorkbenchView {
    private final XYSeries loss = new XYSeries("train loss");
    private final XYSeries trainAcc = new XYSeries("train accuracy");
    private final XYSeries testAcc = new XYSeries("test accuracy");
    private final XYSeries sharp = new XYSeries("mask sharpness");
    private final XYSeries kept = new XYSeries("kept (soft, budget measure)");
    private final XYSeries eps = new XYSeries("temperature ε");
    private final GridPane grid = new GridPane();

    TrainingChartsView(Context ctx) {
        WorkbenchViewModel vm = ctx.vm();
        XYSeriesCollection accData = new XYSeriesCollection();
        accData.addSeries(trainAcc);
        accData.addSeries(testAcc);
        XYSeriesCollection sharpData = new XYSeriesCollection();
        sharpData.addSeries(sharp);
        sharpData.addSeries(kept);
        JFreeChart lossChart = Charts.line("Loss", "epoch", "loss", new XYSeriesCollection(loss));
        JFreeChart accuracyChart = Charts.line("Accuracy", "epoch", "accuracy", accData);
        JFreeChart sharpnessChart = Charts.line("Mask sharpness and kept share", "epoch", "fraction", sharpData);
        JFreeChart epsilonChart = Charts.logLine("Temperature", "epoch", "ε", new XYSeriesCollection(eps));
        ChartScheduler charts = ctx.charts();
        grid.setHgap(6);
        grid.setVgap(6);
        grid.add(charts.viewer(lossChart, "lossChart"), 0, 0);
        grid.add(charts.viewer(accuracyChart, "accuracyChart"), 1, 0);
        grid.add(charts.viewer(sharpnessChart, "sharpnessChart"), 0, 1);
        grid.add(charts.viewer(epsilonChart, "epsilonChart"), 1, 1);
        for (int i = 0; i < 2; i++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(50);
            grid.getColumnConstraints().add(cc);
            RowConstraints rc = new RowConstraints();
            rc.setPercentHeight(50);
            grid.getRowConstraints().add(rc);
        }
        charts.onDataChanged(() -> {
            Object run = vm.lastRunDir.get();
            charts.update(lossChart, Arrays.asList(run, vm.trainLoss.size()), () -> Charts.fill(loss, vm.trainLoss));
            charts.update(accuracyChart, Arrays.asList(run, vm.trainAccuracy.size(), vm.testAccuracy.size()), () -> {
                Charts.fill(trainAcc, vm.trainAccuracy);
                Charts.fill(testAcc, vm.testAccuracy);
            });
            charts.update(sharpnessChart, Arrays.asList(run, vm.sharpness.size(), vm.softKept.size()), () -> {
                Charts.fill(sharp, vm.sharpness);
                Charts.fill(kept, vm.softKept);
            });
            charts.update(epsilonChart, Arrays.asList(run, vm.epsilon.size()), () -> Charts.fill(eps, vm.epsilon));
        });
    }

    @Override
    public Node node() {
        return grid;
    }
}
