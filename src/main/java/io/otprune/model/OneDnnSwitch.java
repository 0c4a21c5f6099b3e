package io.otprune.model;

import com.sun.jna.Function;
import com.sun.jna.Pointer;
import io.otprune.util.LibTorchEntryPoints;

/**
 * PyTorch's process-wide "use oneDNN for CPU convolutions" flag ({@code torch.backends.mkldnn.enabled} in Python),
 * reached through libtorch's own C++ entry points ({@link LibTorchEntryPoints}): DJL has no call for it. With the flag
 * off PyTorch runs its own convolution kernels (im2col and a matrix product), which are right where oneDNN's are not
 * (see {@link ConvolutionGuard}), and slower. Where the entry points are missing {@link #open()} returns null and
 * callers keep to what they did without it.
 */
final class OneDnnSwitch {
    private static final String SET = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private static final String GET = "_ZNK2at7Context17userEnabledMkldnnEv";
    private static final String SET_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";

    private final Pointer context;
    private final Function set;
    private final Function get;
    private final Function setNnpack;

    private OneDnnSwitch(Pointer context, Function set, Function get, Function setNnpack) {
        this.context = context;
        this.set = set;
        this.get = get;
        this.setNnpack = setNnpack;
    }

    /** The switch of the loaded engine, or null where it cannot be reached. */
    static OneDnnSwitch open() {
        LibTorchEntryPoints torch = LibTorchEntryPoints.open();
        if (torch == null) {
            return null;
        }
        try {
            OneDnnSwitch s = new OneDnnSwitch(torch.context(), torch.function(SET), torch.function(GET),
                    torch.function(SET_NNPACK));
            s.enabled(); // the getter must answer before the setter is trusted
            return s;
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    boolean enabled() {
        return LibTorchEntryPoints.cppBool(get.invokeInt(new Object[] {context}));
    }

    /**
     * Turns oneDNN on or off. Off also turns NNPACK off, for good: PyTorch would otherwise try it first for some shapes,
     * and where it cannot start (the Zen 5 this was found on) it prints a warning at every convolution before falling
     * back to the same kernels.
     */
    void set(boolean enabled) {
        if (!enabled) {
            setNnpack.invokeVoid(new Object[] {context, false});
        }
        set.invokeVoid(new Object[] {context, enabled});
    }
}
