package io.otprune.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Turns {@link LabelledImages} into mini-batches of NDArrays: images (B,C,H,W) normalised per channel, labels (B)
 * int32. The order is shuffled per epoch from (seed, epoch) and each sample's content ({@link SampleOrder}), so a
 * run is reproducible, resumable at any epoch, and the same for the same images in any file layout.
 *
 * <p>Training reads through a {@link Loader}: a thread that reads (decodes, for image files), augments and
 * normalises the batches of an epoch ahead of the training thread into a small bounded queue, as plain Java arrays;
 * the training thread only turns them into NDArrays (NDArrays stay on the thread that trains, engine trap 3).
 */
public final class Batches {
    /** Batches the loader keeps ready: enough to hide a slow decode, little memory. */
    public static final int AHEAD = 3;

    private final LabelledImages set;
    private final float[][] tables;
    private final int batchSize;
    /** The samples' content keys, read once when first needed (shuffled orders and augmentation). */
    private long[] keys;

    public Batches(LabelledImages set, Normalization norm, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        norm.requireChannels(set.channels());
        this.set = set;
        this.tables = norm.tables();
        this.batchSize = batchSize;
    }

    public int size() {
        return set.count();
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of batches per epoch; the last one may be smaller (none is dropped). */
    public int count() {
        return (set.count() + batchSize - 1) / batchSize;
    }

    /** Sample order of an epoch: shuffled from (seed, epoch) and the samples' content when shuffle is on, else 0..n-1. */
    public int[] order(long seed, int epoch, boolean shuffle) {
        return shuffle ? SampleOrder.shuffled(keys(), seed, epoch) : Subsets.range(set.count());
    }

    private synchronized long[] keys() {
        if (keys == null) {
            keys = set.sampleKeys();
        }
        return keys;
    }

    /** A batch of images and labels (no augmentation), created in (and owned by) {@code manager}. */
    public Batch batch(NDManager manager, int[] order, int index) {
        return host(order, index, Augmentation.NONE, 0).create(manager);
    }

    /** Batch {@code index} of an epoch as plain arrays: read, augmented, normalised. */
    public HostBatch host(int[] order, int index, Augmentation augmentation, int epoch) {
        int from = index * batchSize;
        int n = Math.min(batchSize, order.length - from);
        ImageShape s = set.shape();
        int bytes = s.bytes(), plane = s.plane();
        byte[] image = new byte[bytes];
        byte[] scratch = new byte[bytes];
        float[] x = new float[n * bytes];
        int[] y = new int[n];
        long[] ids = augmentation.enabled() ? keys() : null;
        for (int k = 0; k < n; k++) {
            int sample = order[from + k];
            set.read(sample, image, 0);
            if (ids != null) {
                augmentation.apply(image, 0, s, epoch, ids[sample], scratch);
            }
            int out = k * bytes;
            for (int c = 0; c < s.channels(); c++) {
                float[] table = tables[c];
                for (int p = c * plane, end = p + plane; p < end; p++) {
                    x[out + p] = table[image[p] & 0xff];
                }
            }
            y[k] = set.label(sample);
        }
        return new HostBatch(x, y, n, s);
    }

    /**
     * Starts a loader thread for one epoch's batches in {@code order}. Close it (try-with-resources) when the epoch
     * ends or the run stops: that ends the thread.
     */
    public Loader loader(int[] order, int epoch, Augmentation augmentation, ReaderControl control) {
        return new Loader(order, epoch, augmentation, control);
    }

    /** One mini-batch; the arrays belong to the manager it was created in. */
    public record Batch(NDArray images, NDArray labels, int size) {}

    /**
     * Where each thread stages its batches on their way into the engine. The engine's {@code create(Buffer)} copies a
     * heap array into a fresh direct buffer that the tensor then shares; that buffer's memory returns only when the
     * garbage collector finds the buffer, which a large heap with little garbage postpones: resident memory grew by
     * one batch of images per step, up to the JVM's direct-memory limit (the heap's maximum, a quarter of the
     * machine), so it grew with the data set's size (docs/benchmarks.md §8). One reused direct buffer per thread
     * and a copy the engine owns keep it flat.
     */
    private static final ThreadLocal<ByteBuffer[]> STAGING = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    /** One mini-batch as Java arrays, before it becomes NDArrays. */
    public record HostBatch(float[] images, int[] labels, int size, ImageShape shape) {
        /** The batch as NDArrays owned by {@code manager} (their memory is the engine's; nothing stays shared). */
        public Batch create(NDManager manager) {
            int bytes = images.length * Float.BYTES;
            ByteBuffer[] slot = STAGING.get();
            if (slot[0] == null || slot[0].capacity() < bytes) {
                slot[0] = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            }
            ByteBuffer staged = slot[0].clear().limit(bytes);
            staged.asFloatBuffer().put(images);
            NDArray xs;
            // the shared view is closed at once, so the staging buffer is free for the next batch
            try (NDArray view = manager.create(staged, new Shape(size, shape.channels(), shape.height(),
                    shape.width()), DataType.FLOAT32)) {
                xs = view.duplicate();
            }
            NDArray ys = manager.create(labels);
            return new Batch(xs, ys, size);
        }
    }

    private record Failed(RuntimeException error) {}

    private static final Object CANCELLED = new Object();

    /**
     * Reads an epoch's batches on its own thread into a queue of {@value #AHEAD}. A paused run pauses it (it waits on
     * the run's control, and the full queue blocks it too); a cancelled run ends it, and {@link #next} then throws
     * {@link CancellationException}.
     */
    public final class Loader implements AutoCloseable {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
        private final Thread thread;
        private volatile boolean closed;
        private int taken;

        private Loader(int[] order, int epoch, Augmentation augmentation, ReaderControl control) {
            thread = new Thread(() -> fill(order, epoch, augmentation, control), "otprune-batch-loader");
            thread.setDaemon(true);
            thread.start();
        }

        /** The loader thread: the epoch's batches into the queue, then a cancellation mark or a failure if any. */
        private void fill(int[] order, int epoch, Augmentation augmentation, ReaderControl control) {
            try {
                for (int b = 0; b < count(); b++) {
                    control.awaitResumed();
                    if (closed) {
                        return;
                    }
                    if (control.isCancelled()) {
                        queue.put(CANCELLED);
                        return;
                    }
                    HostBatch batch = host(order, b, augmentation, epoch);
                    while (!queue.offer(batch, 50, TimeUnit.MILLISECONDS)) {
                        if (closed) {
                            return;
                        }
                    }
                    if (closed) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // closed by the training thread: the epoch is over
            } catch (RuntimeException e) {
                queue.offer(new Failed(e));
            } catch (Error e) {
                queue.offer(new Failed(new IllegalStateException(e.toString(), e)));
            }
        }

        /**
         * The next batch, as NDArrays of {@code manager}; blocks until the loader has it.
         *
         * @throws CancellationException when the run was cancelled
         * @throws IllegalStateException or {@link UncheckedIOException} when the data could not be read
         */
        public Batch next(NDManager manager) {
            if (taken >= count()) {
                throw new IllegalStateException("all " + count() + " batches of the epoch were taken");
            }
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for data");
            }
            if (o == CANCELLED) {
                throw new CancellationException("run cancelled");
            }
            if (o instanceof Failed f) {
                RuntimeException e = f.error();
                throw e instanceof UncheckedIOException u ? u
                        : new IllegalStateException("cannot read the data: " + e.getMessage(), e);
            }
            taken++;
            return ((HostBatch) o).create(manager);
        }

        /**
         * Ends the loader. Not by interrupting it while it reads: an interrupt closes a file channel for good, and
         * the streamed data set is read again by the next epoch; it sees the flag within one batch instead.
         */
        @Override
        public void close() {
            closed = true;
            queue.clear();
            try {
                thread.join(10_000);
                if (thread.isAlive()) { // waiting on a paused run's control: nothing is being read
                    thread.interrupt();
                    thread.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
