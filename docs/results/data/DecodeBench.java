import io.otprune.data.*;
public class DecodeBench {
    public static void main(String[] a) throws Exception {
        DataOptions o = new DataOptions(null, DataOptions.BadImages.FAIL, DataOptions.Loading.STREAM, false, 0.2, 1, false, 4, null);
        long t0 = System.nanoTime();
        Dataset d = Datasets.load(a[0], o, ReaderControl.NONE);
        System.out.printf("load (scan+decode all, parallel) %.2f s%n", (System.nanoTime() - t0) / 1e9);
        LabelledImages tr = d.trainImages();
        byte[] buf = new byte[tr.shape().bytes()];
        for (int rep = 0; rep < 3; rep++) {
            long t = System.nanoTime();
            int n = Math.min(tr.count(), 10000);
            for (int i = 0; i < n; i++) tr.read(i, buf, 0);
            double s = (System.nanoTime() - t) / 1e9;
            System.out.printf("read %d on one thread: %.2f s, %.1f us/image, %.0f images/s%n", n, s, s / n * 1e6, n / s);
        }
    }
}
