package io.otprune.train;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Resolves the device names the CLI and GUI accept: {@code auto}, {@code cpu}, {@code gpu}. */
public final class Devices {
    private Devices() {}

    public static int gpuCount() {
        return Engine.getInstance().getGpuCount();
    }

    /** A short description of what DJL found, for the GUI and --version. */
    public static String describe() {
        int n = gpuCount();
        return n > 0 ? n + " GPU(s) via PyTorch " + Engine.getInstance().getVersion() : "CPU only (no GPU found)";
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * The device a name means. Resolving CPU work also runs the convolution check ({@link io.otprune.model.ConvolutionGuard}) and prints its warning to
     * stderr, so every command and run that computes says when the CPU's convolutions are wrong; it sets the
     * host allocator's thresholds ({@link HostAllocator}) before the run's first arrays; and it flushes subnormal floats
     * on the calling thread ({@link Denormals}), which is the thread that computes next.
     */
    public static Device resolve(String name) {
        HostAllocator.apply();
        Denormals.flushOnThisThread();
        Device d = resolveName(name);
        if ("cpu".equals(d.getDeviceType())) {
            String problem = io.otprune.model.ConvolutionGuard.problem();
            if (problem != null && WARNED.compareAndSet(false, true)) {
                System.err.println("otprune: WARNING: " + problem);
            }
        }
        return d;
    }

    private static Device resolveName(String name) {
        switch (name == null ? "auto" : name.toLowerCase(java.util.Locale.ROOT)) {
            case "auto":
                return gpuCount() > 0 ? Device.gpu() : Device.cpu();
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpuCount() == 0) {
                    throw new IllegalArgumentException("no GPU found: the PyTorch engine runs on CPU natives; to use a "
                            + "GPU point PYTORCH_LIBRARY_PATH at a CUDA build of libtorch 2.7.1 (see README)");
                }
                return Device.gpu();
            default:
                throw new IllegalArgumentException("unknown device '" + name + "': use auto, cpu or gpu");
        }
    }
}
