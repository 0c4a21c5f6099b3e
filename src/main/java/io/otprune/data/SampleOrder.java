package io.otprune.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The order a training epoch visits its samples in, and the identity its augmentation is seeded by: both keyed by
 * each sample's content (its pixels and label), never by its position in the data set. The same images with the
 * same seed therefore train the same way however they are laid out: IDX files, a folder per class (which lists
 * them class by class), CIFAR files, or the same folder copied to a file system that lists it in another order.
 * Keyed by position, those layouts drew different batches from the same seed, and that alone moved lenet5's test
 * accuracy by up to 1.9 points (docs/benchmarks.md §8).
 *
 * <p>An epoch's order sorts the samples by a 64-bit mix of (key, seed, epoch): a pseudo-random permutation that is
 * fresh each epoch, reproducible, and resumable at any epoch. Identical samples (same pixels, same label) have the
 * same key and keep their relative position, which cannot change a run since they are indistinguishable.
 */
public final class SampleOrder {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SampleOrder() {}

    /** The content key of one sample: a 64-bit hash of its {@code length} pixel bytes and its label. */
    public static long key(byte[] pixels, int offset, int length, int label) {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = offset, end = offset + length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            h = Long.rotateLeft(h ^ mix((long) LONGS.get(pixels, i)), 27) * 0x9E3779B97F4A7C15L;
        }
        for (; i < end; i++) {
            h = (h ^ (pixels[i] & 0xff)) * 0x100000001B3L;
        }
        return mix(h ^ (label + 1L) * 0xD6E8FEB86659FD93L);
    }

    /** Every sample's key, reading each once. */
    public static long[] keys(LabelledImages set) {
        int n = set.count(), bytes = set.shape().bytes();
        long[] keys = new long[n];
        byte[] buf = new byte[bytes];
        for (int i = 0; i < n; i++) {
            set.read(i, buf, 0);
            keys[i] = key(buf, 0, bytes, set.label(i));
        }
        return keys;
    }

    /** The sample indices of an epoch in its shuffled order: by mix(key, seed, epoch), ties by position. */
    public static int[] shuffled(long[] keys, long seed, int epoch) {
        long salt = mix(seed * 1_000_003L + epoch + 0x632BE59BD9B4E019L);
        long[] rank = new long[keys.length];
        Integer[] idx = new Integer[keys.length];
        for (int i = 0; i < keys.length; i++) {
            rank[i] = mix(keys[i] ^ salt);
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Long.compare(rank[a], rank[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] out = new int[keys.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** The finaliser of MurmurHash3 (fmix64): every input bit reaches every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB93FE1A85A53L;
        return z ^ (z >>> 33);
    }
}
