package io.otprune.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DenormalsTest {
    /** A subnormal float (2^-133), times an array of ones on the engine: itself, or 0 where subnormals are flushed. */
    private static final float SUBNORMAL = Float.MIN_NORMAL / 128;

    private static float productOnFreshThread(boolean resolveFirst) throws Exception {
        Callable<Float> work = () -> {
            if (resolveFirst) {
                Devices.resolve("cpu"); // what every command and run does before it computes
            }
            try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
                NDArray ones = m.ones(new Shape(4096));
                NDArray x = m.create(new float[] {SUBNORMAL}).broadcast(new Shape(4096));
                return ones.mul(x).toFloatArray()[0];
            }
        };
        // a thread of its own each: the flag belongs to the thread that sets it (and Java starts threads without it)
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                out.set(work.call());
            } catch (Exception e) {
                out.set(e);
            }
        });
        t.start();
        t.join();
        if (out.get() instanceof Exception e) {
            throw e;
        }
        return (Float) out.get();
    }

    @Test
    void aThreadThatResolvedItsDeviceComputesSubnormalsAsZero() throws Exception {
        assertThat(SUBNORMAL).isPositive().isLessThan(Float.MIN_NORMAL);
        // the control: IEEE arithmetic keeps the subnormal (on Intel at the price of a microcode assist per operation)
        assertThat(productOnFreshThread(false)).isEqualTo(SUBNORMAL);
        assertThat(productOnFreshThread(true)).isZero();
        assertThat(Denormals.describe()).startsWith("flushed to zero");
    }

    @Test
    void theSwitchKeepsThem() {
        assertThat(Denormals.keep(Map.of())).isFalse();
        assertThat(Denormals.keep(Map.of(Denormals.SWITCH, "keep"))).isTrue();
        assertThat(Denormals.keep(Map.of(Denormals.SWITCH, "KEEP "))).isTrue();
        assertThat(Denormals.flush(Map.of(Denormals.SWITCH, "keep"))).isEqualTo("kept (" + Denormals.SWITCH + "=keep)");
    }
}
