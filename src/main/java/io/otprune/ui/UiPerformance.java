package io.otprune.ui;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * The window's own performance figures for docs/benchmarks.md, recorded only with -Dotprune.perf=FILE.json: time
 * from JVM start to the window shown and to a usable window (model loaded, preview shown); during a run, the gaps
 * between consecutive FX pulses (a gap well above the 16.7 ms frame means the FX thread was blocked) and the time
 * the FX thread spent applying run events and redrawing. Written when the run ends; with
 * -Dotprune.perf.exit=true the application then quits.
 */
final class UiPerformance {
    private final Path out;
    private final long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
    private long shownMs = -1;
    private long usableMs = -1;
    private long lastFrame;
    private double[] gaps = new double[1024];
    private long[] gapAt = new long[1024];
    private int gapCount;
    private long runStartNanos;
    private final java.util.List<Double> runLaterDelays = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private volatile boolean probing;
    private double maxWorkMs;
    private final java.util.List<Double> works = new java.util.ArrayList<>();
    private long workCalls;
    private double workTotalMs;

    private UiPerformance(Path out) {
        this.out = out;
    }

    static UiPerformance fromSystemProperties() {
        String f = System.getProperty("otprune.perf");
        return new UiPerformance(f == null ? null : Path.of(f));
    }

    boolean enabled() {
        return out != null;
    }

    /** Called by the window's animation timer on every pulse. */
    void frame(long now, boolean running) {
        if (out == null) {
            return;
        }
        if (running && lastFrame != 0) {
            if (gapCount == gaps.length) {
                gaps = Arrays.copyOf(gaps, gaps.length * 2);
                gapAt = Arrays.copyOf(gapAt, gapAt.length * 2);
            }
            gapAt[gapCount] = now;
            gaps[gapCount++] = (now - lastFrame) / 1e6;
        }
        lastFrame = running ? now : 0;
    }

    /** Time the FX thread spent in one pulse applying run events, updating and rendering charts. */
    void work(long nanos, boolean running) {
        if (out == null || !running) {
            return;
        }
        double ms = nanos / 1e6;
        maxWorkMs = Math.max(maxWorkMs, ms);
        works.add(ms);
        workTotalMs += ms;
        workCalls++;
    }

    void watch(WorkbenchViewModel vm, Stage stage) {
        if (out == null) {
            return;
        }
        stage.setOnShown(e -> shownMs = System.currentTimeMillis() - jvmStartMs);
        if (stage.isShowing()) {
            shownMs = System.currentTimeMillis() - jvmStartMs;
        }
        vm.preview.addListener((o, a, b) -> {
            if (usableMs < 0 && b != null) {
                usableMs = System.currentTimeMillis() - jvmStartMs;
            }
        });
        vm.running.addListener((o, was, now) -> {
            if (!was && now) {
                runStartNanos = System.nanoTime();
                startProbe();
            }
            if (was && !now) {
                probing = false;
                write(vm);
            }
        });
    }

    /**
     * Every 50 ms a helper thread posts a task to the FX thread and records how long it waited: the FX thread's own
     * availability, apart from pulses (a pulse can also be late because the renderer thread is still drawing).
     */
    private void startProbe() {
        probing = true;
        Thread t = new Thread(() -> {
            while (probing) {
                long posted = System.nanoTime();
                Platform.runLater(() -> runLaterDelays.add((System.nanoTime() - posted) / 1e6));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "otprune-perf-probe");
        t.setDaemon(true);
        t.start();
    }

    private void write(WorkbenchViewModel vm) {
        Integer[] idx = new Integer[gapCount];
        for (int i = 0; i < gapCount; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(gaps[b], gaps[a]));
        StringBuilder longest = new StringBuilder();
        for (int i = 0; i < Math.min(5, idx.length); i++) {
            longest.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.0f ms at %.1f s", gaps[idx[i]],
                    (gapAt[idx[i]] - runStartNanos) / 1e9));
        }
        double[] delays;
        synchronized (runLaterDelays) {
            delays = runLaterDelays.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }
        double[] g = Arrays.copyOf(gaps, gapCount);
        Arrays.sort(g);
        String json = String.format(Locale.ROOT, """
                {
                  "launchToWindowShownMs": %d,
                  "launchToUsableMs": %d,
                  "pulsesDuringRun": %d,
                  "pulseGapMedianMs": %.2f,
                  "pulseGapP99Ms": %.2f,
                  "pulseGapMaxMs": %.2f,
                  "pulseGapsOver50Ms": %d,
                  "longestPulseGaps": "%s",
                  "fxTaskDelayMedianMs": %.2f,
                  "fxTaskDelayP99Ms": %.2f,
                  "fxTaskDelayMaxMs": %.2f,
                  "uiWorkPerPulseMaxMs": %.2f,
                  "uiWorkPerPulseP99Ms": %.2f,
                  "uiWorkPerPulseOver50Ms": %d,
                  "pulsesWithUiWork": %d,
                  "firstPulsesUiWorkMs": "%s",
                  "uiWorkPerPulseMeanMs": %.3f,
                  "runDir": "%s"
                }
                """, shownMs, usableMs, g.length, pct(g, 0.5), pct(g, 0.99), g.length == 0 ? Double.NaN : g[g.length - 1],
                Arrays.stream(g).filter(x -> x > 50).count(), longest, pct(delays, 0.5), pct(delays, 0.99),
                delays.length == 0 ? Double.NaN : delays[delays.length - 1],
                maxWorkMs, pct(works.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 0.99),
                works.stream().filter(w -> w > 50).count(), works.size(),
                works.stream().limit(8).map(w -> String.format(Locale.ROOT, "%.0f", w)).toList(),
                workCalls == 0 ? Double.NaN : workTotalMs / workCalls,
                vm.lastRunDir.get() == null ? "" : vm.lastRunDir.get().toString().replace("\\\\", "/"));
        try {
            Files.writeString(out, json);
            System.out.println("performance figures written to " + out);
        } catch (IOException e) {
            System.err.println("cannot write " + out + ": " + e.getMessage());
        }
        if (Boolean.getBoolean("otprune.perf.exit")) {
            Platform.exit();
        }
    }

    private static double pct(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
