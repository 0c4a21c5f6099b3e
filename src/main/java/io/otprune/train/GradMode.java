package io.otprune.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's grad mode is per thread and ON by default on a new thread; DJL turns it off only on the thread that
 * loaded the engine. Work started on another thread (the GUI's worker) calls {@link #offOnThisThread()} first:
 * otherwise inference builds autograd graphs and the in-place masking of parameters is refused.
 */
public final class GradMode {
    private GradMode() {}

    public static void offOnThisThread() {
        if (Engine.getInstance() instanceof PtEngine) {
            JniUtils.setGradMode(false);
        }
    }
}
