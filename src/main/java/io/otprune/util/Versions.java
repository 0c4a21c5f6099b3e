package io.otprune.util;

import ai.djl.engine.Engine;
import java.util.LinkedHashMap;
import java.util.Map;

/** Versions of the project and the stack it runs on, for --version, run.json and model.json. */
public final class Versions {
    private Versions() {}

    public static String project() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }

    /**
     * Where the PyTorch native libraries are unpacked on first use (per user: ~/.djl.ai unless DJL_CACHE_DIR or
     * ENGINE_CACHE_DIR says otherwise).
     */
    public static java.nio.file.Path nativeCache() {
        return ai.djl.util.Utils.getEngineCacheDir("pytorch");
    }

    /**
     * The processor's model and the cores this JVM may use, e.g. "Intel(R) Xeon(R) Processor, 2 cores": the same
     * run takes another path on another CPU (its kernels round differently), so run.json records it
     * (docs/benchmarks.md §12, sessions 17–19).
     */
    public static String cpu() {
        String model = null;
        try {
            java.nio.file.Path info = java.nio.file.Path.of("/proc/cpuinfo");
            if (java.nio.file.Files.isReadable(info)) {
                model = cpuModel(java.nio.file.Files.readString(info));
            }
        } catch (java.io.IOException | RuntimeException e) {
            model = null; // not Linux, or not readable: the architecture says what it can
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return (model != null ? model : System.getProperty("os.arch")) + ", " + cores + (cores == 1 ? " core" : " cores");
    }

    /** The first "model name" of a /proc/cpuinfo text, or null (ARM kernels name no model there). */
    static String cpuModel(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                String v = line.substring(colon + 1).trim().replaceAll("\\s+", " ");
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    /** Project, DJL, PyTorch (loads the engine) and Java versions, and the CPU. */
    public static Map<String, String> all() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("project", project());
        Engine engine = Engine.getEngine("PyTorch");
        m.put("djl", Engine.getDjlVersion());
        m.put("pytorch", engine.getVersion());
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        m.put("cpu", cpu());
        return m;
    }
}
