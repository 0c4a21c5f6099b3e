package io.otprune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The launcher's Prism defaults: set when absent, a value given on the command line kept. */
class WorkbenchTest {
    private final String before = System.getProperty(Workbench.REGION_CACHING);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(Workbench.REGION_CACHING);
        } else {
            System.setProperty(Workbench.REGION_CACHING, before);
        }
    }

    @Test
    void regionCachingIsOffUnlessTheCommandLineSaysOtherwise() {
        System.clearProperty(Workbench.REGION_CACHING);
        Workbench.renderingDefaults();
        assertThat(System.getProperty(Workbench.REGION_CACHING)).isEqualTo("true");

        System.setProperty(Workbench.REGION_CACHING, "false");
        Workbench.renderingDefaults();
        assertThat(System.getProperty(Workbench.REGION_CACHING)).isEqualTo("false");
    }
}
