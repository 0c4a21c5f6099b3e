package io.otprune.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionsTest {
    @Test
    void cpuModelIsTheFirstModelNameOfCpuinfo() {
        String cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 143\n"
                + "model name\t: Intel(R) Xeon(R)   Processor\nflags\t\t: fpu vme\n\n"
                + "processor\t: 1\nmodel name\t: Other\n";
        // "model" alone is not "model name"; runs of spaces collapse
        assertThat(Versions.cpuModel(cpuinfo)).isEqualTo("Intel(R) Xeon(R) Processor");
    }

    @Test
    void cpuinfoWithoutAModelNameGivesNone() {
        assertThat(Versions.cpuModel("processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\n")).isNull();
        assertThat(Versions.cpuModel("model name\t:   \n")).isNull();
    }

    @Test
    void cpuNamesTheCoresThisJvmMayUse() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(Versions.cpu()).endsWith(", " + cores + (cores == 1 ? " core" : " cores"))
                .doesNotStartWith(",");
    }
}
