package io.otprune.ui;

import io.otprune.prune.PruneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.prefs.Preferences;
import javafx.scene.Scene;

/**
 * What the window remembers between sessions (Java preferences of this package): its size, the last model and the
 * run settings. -Dotprune.noPrefs=true reads none of them (tests, screenshots).
 */
final class WindowPreferences {
    private final Preferences prefs = Preferences.userNodeForPackage(WorkbenchApp.class);
    private final boolean ignored = Boolean.getBoolean("otprune.noPrefs");

    double width() {
        return prefs.getDouble("width", 1400);
    }

    double height() {
        return prefs.getDouble("height", 900);
    }

    /** The model folder to open first: -Dotprune.model, else the last one opened, if it still holds a model. */
    Path model() {
        String remembered = System.getProperty("otprune.model", ignored ? null : prefs.get("model", null));
        return remembered != null && Files.isRegularFile(Path.of(remembered, "model.json")) ? Path.of(remembered)
                : null;
    }

    /** Sets the run settings of the last session on {@code vm}. */
    void restore(WorkbenchViewModel vm) {
        if (ignored) {
            return;
        }
        try {
            vm.sparsity.set(prefs.getDouble("sparsity", vm.sparsity.get()));
            vm.granularity.set(PruneConfig.Granularity.valueOf(prefs.get("granularity", vm.granularity.get().name())));
            vm.budget.set(PruneConfig.Budget.valueOf(prefs.get("budget", vm.budget.get().name())));
            vm.scope.set(PruneConfig.Scope.valueOf(prefs.get("scope", vm.scope.get().name())));
            vm.method.set(PruneConfig.Method.valueOf(prefs.get("method", vm.method.get().name())));
        } catch (IllegalArgumentException e) {
            // preferences from another version: keep the defaults
        }
    }

    void save(WorkbenchViewModel vm, Scene scene) {
        prefs.putDouble("width", scene.getWidth());
        prefs.putDouble("height", scene.getHeight());
        if (vm.modelDir.get() != null) {
            prefs.put("model", vm.modelDir.get().toAbsolutePath().toString());
        }
        prefs.putDouble("sparsity", vm.sparsity.get());
        prefs.put("granularity", vm.granularity.get().name());
        prefs.put("budget", vm.budget.get().name());
        prefs.put("scope", vm.scope.get().name());
        prefs.put("method", vm.method.get().name());
    }
}
