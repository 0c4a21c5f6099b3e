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

    /** Project, DJL, PyTorch (loads the engine) and Java versions. */
    public static Map<String, String> all() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("project", project());
        Engine engine = Engine.getEngine("PyTorch");
        m.put("djl", Engine.getDjlVersion());
        m.put("pytorch", engine.getVersion());
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        return m;
    }
}
