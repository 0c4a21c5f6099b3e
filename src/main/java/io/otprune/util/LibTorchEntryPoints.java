package io.otprune.util;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/**
 * libtorch's own C++ entry points where DJL has no call for what they do, looked up by their mangled names in the
 * libtorch_cpu that DJL loaded (the Itanium C++ ABI of Linux and macOS: a member function takes {@code this} as its
 * first argument, and a C++ {@code bool} result is the low byte of the return register). Where the library or a name is
 * missing (another libtorch, Windows) {@link #open()} returns null or {@link #function} throws, and callers keep to
 * what they did without it.
 */
public final class LibTorchEntryPoints {
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final Object LOCK = new Object();
    private static LibTorchEntryPoints opened;
    private static boolean tried;

    private final NativeLibrary torch;
    private final Pointer context;

    private LibTorchEntryPoints(NativeLibrary torch, Pointer context) {
        this.torch = torch;
        this.context = context;
    }

    /** The loaded engine's entry points (looked up once per process), or null where they cannot be reached. */
    public static LibTorchEntryPoints open() {
        synchronized (LOCK) {
            if (!tried) {
                tried = true;
                try {
                    ai.djl.engine.Engine.getEngine("PyTorch"); // loads libtorch first
                    Path lib = Path.of(ai.djl.pytorch.jni.LibUtils.getLibtorchPath())
                            .resolve(System.mapLibraryName("torch_cpu"));
                    NativeLibrary torch = NativeLibrary.getInstance(lib.toString());
                    Pointer ctx = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
                    opened = ctx == null ? null : new LibTorchEntryPoints(torch, ctx);
                } catch (LinkageError | RuntimeException e) {
                    opened = null;
                }
            }
            return opened;
        }
    }

    /** {@code at::globalContext()}: the {@code this} of {@code at::Context}'s member functions. */
    public Pointer context() {
        return context;
    }

    /** The entry point of this mangled name; {@link UnsatisfiedLinkError} where this libtorch has none. */
    public Function function(String mangledName) {
        return torch.getFunction(mangledName);
    }

    /** A C++ {@code bool} result read from {@link Function#invokeInt}: the low byte only. */
    public static boolean cppBool(int result) {
        return (result & 0xFF) != 0;
    }
}
