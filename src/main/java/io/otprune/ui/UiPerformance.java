package io.otprune.ui;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The window's own performance figures for docs/benchmarks.md, recorded only with -Dotprune.perf=FILE.json: time
 * from JVM start to the window shown and to a usable window (model loaded, preview shown); during a run, how long
 * each FX pulse held the FX thread (a scene pulse listener: from before its CSS pass until the FX thread takes its
 * next event, so CSS, layout, waiting for the renderer and copying the scene to it, plus anything queued behind;
 * the five longest with the CPU time the FX thread and the render thread used meanwhile: a pulse far longer than both
 * waited for a core),
 * how long a task posted to the FX thread waited (a probe every 50 ms), and the time the FX thread spent applying
 * run events and drawing charts. With -Dotprune.perf.frames=true an AnimationTimer also records the gaps between
 * pulses, as in the first benchmarks; it makes JavaFX pulse 60 times a second, which the window otherwise does not.
 * Written when the run ends; with -Dotprune.perf.exit=true the application then quits.
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
    private volatile boolean running;
    private java.util.Map<String, Long> cpuAtStart = java.util.Map.of();
    private long pulseStart;
    private double[] pulses = new double[1024];
    private long[] pulseAt = new long[1024];
    private int pulseCount;
    // CPU the FX thread and the renderer used during each pulse: a pulse far longer than both waited for a core
    private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long rendererThreadId = -1;
    private double[] pulseFxCpu = new double[1024];
    private double[] pulseRendererCpu = new double[1024];
    private final java.util.Map<String, long[]> renders = new java.util.TreeMap<>(); // chart -> {draws, nanos}
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

    /** Called on every pulse by the animation timer of -Dotprune.perf.frames. */
    private void frame(long now, boolean running) {
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

    /** One chart drawn during a run: count and time per chart, to see which charts cost the most. */
    void rendered(String chart, long nanos) {
        if (out == null || !running) {
            return;
        }
        long[] r = renders.computeIfAbsent(chart, k -> new long[2]);
        r[0]++;
        r[1] += nanos;
    }

    private String rendersDuringRun() {
        return renders.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s: %d draws, %.1f ms mean", e.getKey(), e.getValue()[0],
                        e.getValue()[1] / 1e6 / e.getValue()[0]))
                .collect(java.util.stream.Collectors.joining("; "));
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

    void watch(WorkbenchViewModel vm, Stage stage, Scene scene) {
        if (out == null) {
            return;
        }
        scene.addPreLayoutPulseListener(() -> {
            if (!running || pulseStart != 0) {
                return;
            }
            long t = System.nanoTime();
            pulseStart = t;
            long fxCpu = threads.getCurrentThreadCpuTime();
            long rendererCpu = rendererCpu();
            // runs once this pulse is over and the FX thread takes its next event
            Platform.runLater(() -> {
                pulseStart = 0;
                if (pulseCount == pulses.length) {
                    pulses = Arrays.copyOf(pulses, pulses.length * 2);
                    pulseAt = Arrays.copyOf(pulseAt, pulseAt.length * 2);
                    pulseFxCpu = Arrays.copyOf(pulseFxCpu, pulses.length);
                    pulseRendererCpu = Arrays.copyOf(pulseRendererCpu, pulses.length);
                }
                pulseAt[pulseCount] = t;
                pulseFxCpu[pulseCount] = (threads.getCurrentThreadCpuTime() - fxCpu) / 1e6;
                pulseRendererCpu[pulseCount] = (rendererCpu() - rendererCpu) / 1e6;
                pulses[pulseCount++] = (System.nanoTime() - t) / 1e6;
            });
        });
        if (Boolean.getBoolean("otprune.perf.frames")) {
            new javafx.animation.AnimationTimer() {
                @Override
                public void handle(long now) {
                    frame(now, vm.running.get());
                }
            }.start();
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
            running = now;
            if (!was && now) {
                runStartNanos = System.nanoTime();
                cpuAtStart = threadCpu();
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

    /**
     * CPU time of the JVM's Java threads by name (numbered names merged: the renderer, pools), in nanoseconds.
     * Native threads (PyTorch's OpenMP workers, the JIT compilers) are not visible here: docs/thread-cpu.py sees them.
     */
    private static java.util.Map<String, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> cpu = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            long ns = ti == null ? -1 : mx.getThreadCpuTime(ti.getThreadId());
            if (ns > 0) {
                cpu.merge(ti.getThreadName().replaceAll("[-#]?\\d+$", ""), ns, Long::sum);
            }
        }
        return cpu;
    }

    /** CPU seconds each Java thread used during the run, the largest first (those over 0.05 s). */
    private String threadCpuDuringRun() {
        java.util.Map<String, Long> end = threadCpu();
        return end.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - cpuAtStart.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 50_000_000L)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 1e9))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** CPU time of JavaFX's render thread so far, in nanoseconds; -1 when it cannot be found. */
    private long rendererCpu() {
        if (rendererThreadId < 0) {
            for (java.lang.management.ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (ti != null && ti.getThreadName().startsWith("QuantumRenderer")) {
                    rendererThreadId = ti.getThreadId();
                }
            }
        }
        return rendererThreadId < 0 ? -1 : threads.getThreadCpuTime(rendererThreadId);
    }

    /** The five longest pulses, each with the CPU its FX thread and renderer used and its time since the run started. */
    private String longestPulses() {
        Integer[] idx = new Integer[pulseCount];
        for (int i = 0; i < pulseCount; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(pulses[b], pulses[a]));
        StringBuilder longest = new StringBuilder();
        for (int i = 0; i < Math.min(5, idx.length); i++) {
            int k = idx[i];
            longest.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT,
                    "%.0f ms (CPU: FX %.0f, renderer %.0f) at %.1f s", pulses[k], pulseFxCpu[k], pulseRendererCpu[k],
                    (pulseAt[k] - runStartNanos) / 1e9));
        }
        return longest.toString();
    }

    /** The five largest values, each with its time since the run started. */
    private String longest(double[] values, long[] at, int count) {
        Integer[] idx = new Integer[count];
        for (int i = 0; i < count; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(values[b], values[a]));
        StringBuilder longest = new StringBuilder();
        for (int i = 0; i < Math.min(5, idx.length); i++) {
            longest.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.0f ms at %.1f s", values[idx[i]],
                    (at[idx[i]] - runStartNanos) / 1e9));
        }
        return longest.toString();
    }

    private void write(WorkbenchViewModel vm) {
        double[] p = Arrays.copyOf(pulses, pulseCount);
        Arrays.sort(p);
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
                  "pulseTimeMedianMs": %.2f,
                  "pulseTimeP99Ms": %.2f,
                  "pulseTimeMaxMs": %.2f,
                  "pulsesOver50Ms": %d,
                  "longestPulses": "%s",
                  "framesTimed": %d,
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
                  "runSeconds": %.1f,
                  "javaThreadCpuSecondsDuringRun": "%s",
                  "chartDrawsDuringRun": "%s",
                  "runDir": "%s"
                }
                """, shownMs, usableMs, p.length, pct(p, 0.5), pct(p, 0.99), p.length == 0 ? Double.NaN : p[p.length - 1],
                Arrays.stream(p).filter(x -> x > 50).count(), longestPulses(), g.length,
                pct(g, 0.5), pct(g, 0.99), g.length == 0 ? Double.NaN : g[g.length - 1],
                Arrays.stream(g).filter(x -> x > 50).count(), longest(gaps, gapAt, gapCount), pct(delays, 0.5), pct(delays, 0.99),
                delays.length == 0 ? Double.NaN : delays[delays.length - 1],
                maxWorkMs, pct(works.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 0.99),
                works.stream().filter(w -> w > 50).count(), works.size(),
                works.stream().limit(8).map(w -> String.format(Locale.ROOT, "%.0f", w)).toList(),
                workCalls == 0 ? Double.NaN : workTotalMs / workCalls,
                (System.nanoTime() - runStartNanos) / 1e9, threadCpuDuringRun(), rendersDuringRun(),
                vm.lastRunDir.get() == null ? "" : vm.lastRunDir.get().toString().replace("\\\\", "/"));
        json = json.replace(": NaN,", ": null,"); // a figure with no samples (e.g. frames not timed)
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
