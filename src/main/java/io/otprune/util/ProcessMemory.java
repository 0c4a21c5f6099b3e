package io.otprune.util;

import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc (Linux); -1 where unknown. Native (PyTorch) memory included. */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Current resident set size in MiB (VmRSS). */
    public static double rssMiB() {
        return read("VmRSS:");
    }

    /** Peak resident set size of the process so far in MiB (VmHWM). */
    public static double peakRssMiB() {
        return read("VmHWM:");
    }

    private static double read(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }
}
