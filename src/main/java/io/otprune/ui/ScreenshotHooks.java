package io.otprune.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.util.Duration;
import javax.imageio.ImageIO;

/**
 * For documentation screenshots and benchmarks only (see README): system properties that drive the window as a person
 * would and save it. With -Dotprune.autostart=true a run starts once the model is loaded; with
 * -Dotprune.screenshot=FILE.png the window is saved to FILE after -Dotprune.screenshot.after seconds (default 20;
 * from the run's end with -Dotprune.screenshot.afterRun=true), and the application quits if
 * -Dotprune.screenshot.exit=true. -Dotprune.model=DIR opens that model ({@link WindowPreferences#model}),
 * -Dotprune.data=ID or a folder: the data set chosen once the model is loaded, the autostarted run's;
 * -Dotprune.view=mask (with -Dotprune.layer=NAME) shows the mask heatmap, -Dotprune.view=history the run history
 * with its comparison chart (-Dotprune.compare=TEXT: only the runs whose model path contains TEXT are chosen at
 * first), -Dotprune.view=data the data preview, -Dotprune.view=confusion the confusion matrices once the run has
 * ended. Nothing here runs without these properties.
 */
final class ScreenshotHooks {
    private ScreenshotHooks() {}

    private static String view() {
        return System.getProperty("otprune.view", "");
    }

    /** Where the divider between the charts and the tabs below starts: higher for the views that show a tab. */
    static double centreDivider() {
        return List.of("history", "data", "confusion", "graph", "sensitivity", "compare").contains(view()) ? 0.45 : 0.74;
    }

    /** The text a run's model path must contain to be compared at first in History (all runs by default). */
    static String comparedModels() {
        return System.getProperty("otprune.compare", "");
    }

    /** Installs the hooks the system properties ask for; {@code reveal} brings a tab to the front by its title. */
    static void install(WorkbenchViewModel vm, Scene scene, ChartScheduler charts, Consumer<String> reveal) {
        switch (view()) {
            case "mask" -> reveal.accept(WorkbenchViews.MASK);
            case "history" -> reveal.accept(WorkbenchViews.HISTORY);
            case "data" -> reveal.accept(WorkbenchViews.DATA);
            case "graph" -> reveal.accept(WorkbenchViews.GRAPH);
            case "sensitivity" -> reveal.accept(WorkbenchViews.SENSITIVITY);
            case "compare" -> {
                reveal.accept(WorkbenchViews.COMPARE);
                compareFirstTwo(vm, scene);
            }
            case "confusion" -> vm.summary.addListener((o, a, s) -> Platform.runLater(() ->
                    reveal.accept(WorkbenchViews.CONFUSION)));
            default -> { }
        }
        String layer = System.getProperty("otprune.layer");
        if (layer != null) {
            // after the view-model has chosen the first set of the new list
            vm.layerSets.addListener((ListChangeListener<String>) c -> Platform.runLater(() -> {
                if (vm.layerSets.contains(layer)) {
                    vm.selectedLayer.set(layer);
                }
            }));
        }
        String data = System.getProperty("otprune.data"); // e.g. the full data set for benchmarks, or a folder
        boolean autostart = Boolean.getBoolean("otprune.autostart");
        if (autostart || data != null) {
            vm.preview.addListener(new ChangeListener<>() {
                @Override
                public void changed(ObservableValue<? extends ModelPreview.Outcome> o, ModelPreview.Outcome a,
                        ModelPreview.Outcome b) {
                    vm.preview.removeListener(this);
                    if (data != null && Files.isDirectory(Path.of(data))) {
                        vm.openData(Path.of(data)); // as Open data folder… does; chosen once it is read
                    } else if (data != null) {
                        vm.dataId.set(data);
                    }
                    if (!autostart) {
                        return;
                    }
                    // as a person would: the data set chosen, Start clicked a moment later (the data preloaded)
                    PauseTransition wait = new PauseTransition(Duration.seconds(data != null ? 3 : 0.01));
                    wait.setOnFinished(e -> vm.start());
                    if (data == null || vm.dataId.get().equals(data)) {
                        wait.play();
                    } else {
                        vm.dataId.addListener((x, y, id) -> wait.play()); // a folder: once it is read and chosen
                    }
                }
            });
        }
        String shot = System.getProperty("otprune.screenshot");
        if (shot != null) {
            double after = Double.parseDouble(System.getProperty("otprune.screenshot.after", "20"));
            PauseTransition wait = new PauseTransition(Duration.seconds(after));
            wait.setOnFinished(e -> {
                vm.drain();
                charts.refresh();
                charts.renderAll();
                WritableImage img = scene.snapshot(null);
                try {
                    ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", new File(shot));
                    System.out.println("screenshot written to " + shot);
                } catch (IOException ex) {
                    System.err.println("cannot write screenshot " + shot + ": " + ex.getMessage());
                }
                if (Boolean.getBoolean("otprune.screenshot.exit")) {
                    vm.stop();
                    Platform.exit();
                }
            });
            if (Boolean.getBoolean("otprune.screenshot.afterRun")) { // the seconds count from the run's end
                vm.summary.addListener((o, a, sum) -> wait.play());
            } else {
                wait.play();
            }
        }
    }

    /** Compare runs: the first two runs of History as A and B, compared once History has them. */
    @SuppressWarnings("unchecked")
    private static void compareFirstTwo(WorkbenchViewModel vm, Scene scene) {
        boolean[] done = {false};
        Runnable pick = () -> {
            if (done[0] || vm.history.size() < 2) {
                return;
            }
            done[0] = true;
            ((javafx.scene.control.ComboBox<Object>) scene.lookup("#compareRunA")).getSelectionModel().select(0);
            ((javafx.scene.control.ComboBox<Object>) scene.lookup("#compareRunB")).getSelectionModel().select(1);
            ((javafx.scene.control.Button) scene.lookup("#compareButton")).fire();
        };
        vm.history.addListener((javafx.collections.ListChangeListener<Object>) c -> Platform.runLater(pick));
        Platform.runLater(pick);
    }
}
