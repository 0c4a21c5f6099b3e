import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.otprune.train.Devices;

/**
 * A 3x3 convolution, 16 -> 16 channels, batch 128 of 28x28 maps, over inputs that are all normal (1e-3) or all
 * subnormal (1e-40, what a channel gated by a subnormal soft mask feeds the next layer), on a thread that keeps IEEE
 * subnormals and on one that resolved its device as a run does (train/Denormals: flushed). Median ms of 7 after 2.
 * Run: see run.sh next to this file.
 */
public class SubnormalConvolution {
    static double medianMs(NDArray x, NDArray w) {
        Shape one = new Shape(1, 1);
        double[] t = new double[7];
        for (int i = -2; i < t.length; i++) {
            long s = System.nanoTime();
            Conv2d.conv2d(x, w, null, one, one, one, 1).singletonOrThrow().toFloatArray();
            if (i >= 0) {
                t[i] = (System.nanoTime() - s) / 1e6;
            }
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }

    static void onThread(String label, boolean flush) throws InterruptedException {
        Thread th = new Thread(() -> {
            if (flush) {
                Devices.resolve("cpu");
            }
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                m.getEngine().setRandomSeed(1);
                NDArray w = m.randomNormal(new Shape(16, 16, 3, 3)).mul(m.create(0.1f));
                // made on this thread, so a flushed thread would already turn 1e-40 into 0 when filling: made as a
                // normal value and scaled down on the engine instead would flush too, so fill from a Java array
                float[] sub = new float[128 * 16 * 28 * 28];
                java.util.Arrays.fill(sub, 1e-40f);
                NDArray subnormal = m.create(sub, new Shape(128, 16, 28, 28));
                NDArray normal = m.full(new Shape(128, 16, 28, 28), 1e-3f);
                System.out.printf("| %s | %.1f | %.1f |%n", label, medianMs(normal, w), medianMs(subnormal, w));
            }
        });
        th.start();
        th.join();
    }

    public static void main(String[] args) throws Exception {
        System.out.println("| thread | normal inputs, ms | subnormal inputs, ms |");
        System.out.println("|---|---:|---:|");
        onThread("IEEE subnormals kept", false);
        onThread("flushed (train/Denormals)", true);
    }
}
