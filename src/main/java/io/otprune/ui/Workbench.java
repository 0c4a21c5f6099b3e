package io.otprune.ui;

import javafx.application.Application;

/**
 * Entry point of the desktop workbench. It does not extend {@link Application} so that it also starts from a plain
 * jar or an installer's launcher, where JavaFX is on the class path (engine trap 4).
 */
public final class Workbench {
    private Workbench() {}

    /**
     * Prism caches a region's layered background (Modena draws borders as fills at insets) as a texture and, at each
     * repaint of any part of the region, stretches that texture over it. With software rendering (Prism's sw
     * pipeline: Xvfb, machines without a usable GPU) those stretches were the render thread's largest cost during a
     * run (63 of its 178 profile samples: SWGraphics.drawTexture9Slice and 3SliceH), and the longest pulses waited for
     * it: 41-52 ms, with 17-24 ms of render-thread CPU. Drawn directly instead: the render thread's CPU per run fell
     * from 3.2-3.5 s to 2.2-2.5 s, the longest pulses of four runs 39-46 ms (docs/benchmarks.md §11). With a GPU
     * either way is cheap. {@code -Dprism.disableRegionCaching=false} restores the cache.
     */
    static final String REGION_CACHING = "prism.disableRegionCaching";

    public static void main(String[] args) {
        renderingDefaults();
        Application.launch(WorkbenchApp.class, args);
    }

    /** Prism settings of the window unless given on the command line; they are read once, as the toolkit starts. */
    static void renderingDefaults() {
        if (System.getProperty(REGION_CACHING) == null) {
            System.setProperty(REGION_CACHING, "true");
        }
    }
}
