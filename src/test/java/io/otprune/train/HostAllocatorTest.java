package io.otprune.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HostAllocatorTest {
    @Test
    void leavesThresholdsTheEnvironmentOrTheUserChoseAlone() {
        assertThat(HostAllocator.skipReason(Map.of(), "Linux")).isNull();
        assertThat(HostAllocator.skipReason(Map.of("MALLOC_TRIM_THRESHOLD_", "0"), "Linux"))
                .contains("MALLOC_TRIM_THRESHOLD_");
        assertThat(HostAllocator.skipReason(Map.of("MALLOC_MMAP_THRESHOLD_", "0"), "Linux"))
                .contains("MALLOC_MMAP_THRESHOLD_");
        assertThat(HostAllocator.skipReason(Map.of("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=0"), "Linux"))
                .contains("GLIBC_TUNABLES");
        assertThat(HostAllocator.skipReason(Map.of("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX512F"), "Linux")).isNull();
        assertThat(HostAllocator.skipReason(Map.of(HostAllocator.SWITCH, "glibc"), "Linux")).contains("glibc");
        assertThat(HostAllocator.skipReason(Map.of(), "Mac OS X")).isEqualTo("not Linux");
        assertThat(HostAllocator.apply(Map.of(HostAllocator.SWITCH, "glibc"), "Linux")).startsWith("glibc defaults");
    }

    @Test
    void setsBothThresholdsThroughMalloptOnLinux() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").contains("Linux"));
        // the same values glibc would take from MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_; mallopt says 1 if it did
        assertThat(HostAllocator.apply(Map.of(), "Linux")).isEqualTo("mmap threshold 256 MiB, trim threshold 1024 MiB ("
                + HostAllocator.SWITCH + "=glibc keeps glibc's)");
    }
}
