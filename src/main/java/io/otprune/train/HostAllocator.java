package io.otprune.train;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;
import java.util.Map;

/**
 * Sets glibc's two malloc thresholds for the engine's host arrays, once per process, before the first run.
 *
 * <p>Why: every NDArray the engine makes on the CPU is a fresh malloc. glibc serves one above its mmap threshold
 * (128 KiB at first, raised only as such arrays are freed) with a fresh mapping, and gives the heap's free top back to
 * the system above its trim threshold; either way the next array of that size touches new pages, and every page is a
 * fault the kernel zeroes. On the mlp-300-100 (266,200 weight scores, arrays of about 1 MB) a DTP step spent most of
 * its time in page faults: 800k minor faults in a bench run, a step of 8–9 ms. With the mmap threshold
 * at 256 MiB and the trim threshold at 1 GiB the freed arrays are reused: 148k faults, 5.2 ms a step
 * (docs/benchmarks.md §12). The price is memory the process keeps instead of returning: at most the trim
 * threshold of free heap, where a run's arrays peak anyway.
 *
 * <p>{@code mallopt} changes them at any time for every later allocation, which is what this does instead of asking
 * users to set {@code MALLOC_MMAP_THRESHOLD_}/{@code MALLOC_TRIM_THRESHOLD_} before the JVM starts. Thresholds the
 * environment sets are left as they are, and {@code OTPRUNE_HOST_ALLOCATOR=glibc} keeps glibc's own behaviour.
 */
public final class HostAllocator {
    /** Largest request served from the heap instead of a mapping of its own (glibc's M_MMAP_THRESHOLD). */
    static final int MMAP_THRESHOLD = 256 << 20;
    /** Free heap top kept instead of returned to the system (glibc's M_TRIM_THRESHOLD). */
    static final int TRIM_THRESHOLD = 1 << 30;
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;
    /** The environment variable that turns this off ({@code glibc}). */
    public static final String SWITCH = "OTPRUNE_HOST_ALLOCATOR";

    private static String state;

    private HostAllocator() {}

    /** glibc's C library, for mallopt only. */
    interface CLibrary extends Library {
        int mallopt(int param, int value);
    }

    /** Applies the thresholds once (later calls return the first call's result): what was done, in words. */
    public static synchronized String apply() {
        if (state == null) {
            state = apply(System.getenv(), System.getProperty("os.name", ""));
        }
        return state;
    }

    static String apply(Map<String, String> env, String osName) {
        String reason = skipReason(env, osName);
        if (reason != null) {
            return "glibc defaults (" + reason + ")";
        }
        try {
            CLibrary c = Native.load("c", CLibrary.class);
            boolean ok = c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                    & c.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1; // both, even if the first is refused
            return ok ? "mmap threshold " + (MMAP_THRESHOLD >> 20) + " MiB, trim threshold " + (TRIM_THRESHOLD >> 20)
                    + " MiB (" + SWITCH + "=glibc keeps glibc's)"
                    : "glibc defaults (mallopt refused the thresholds)";
        } catch (LinkageError | RuntimeException e) {
            // not glibc (musl has no mallopt of these), or JNA could not load (no writable temporary folder for its
            // native part, a stripped image): the defaults are slower, not wrong
            return "glibc defaults (no mallopt: " + e.getMessage() + ")";
        }
    }

    /** Why the thresholds are left alone, or null to set them. */
    static String skipReason(Map<String, String> env, String osName) {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return "not Linux";
        }
        if ("glibc".equalsIgnoreCase(env.getOrDefault(SWITCH, ""))) {
            return SWITCH + "=glibc";
        }
        for (String v : new String[] {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"}) {
            if (env.containsKey(v)) {
                return v + " set in the environment";
            }
        }
        String tunables = env.getOrDefault("GLIBC_TUNABLES", "");
        if (tunables.contains("mmap_threshold") || tunables.contains("trim_threshold")) {
            return "GLIBC_TUNABLES sets them";
        }
        return null;
    }
}
