package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The part of a convolution's kernel that ever reads the input, for one input size: the rest of the kernel only
 * ever meets zero padding, so convolving with the cropped kernel and less padding gives the same output, and
 * gradients (zero for the cropped-off taps, as they are in the full convolution).
 *
 * <p>Why: a network built for large images and fed small ones has layers whose input is 1×1 or 2×2 while their
 * kernels are 3×3 with padding 1 (torchvision's resnet18 at 32×32: the whole last stage sees 1×1). Only the centre
 * tap of those kernels touches data, but libtorch's CPU convolution still does the work of all nine, and its
 * backward pass for that shape is slow: in a resnet18 training step at batch 64 the three such convolutions took
 * 68 ms each of a 560 ms step; cropped to their 1×1 centre they are a plain matrix product (docs/benchmarks.md §10).
 *
 * <p>Per axis, tap {@code t} reads input index {@code j·stride − pad + t·dilation} for output positions
 * {@code j}; the crop keeps the hull of the taps that read some index in {@code [0, n)} and lowers the padding by
 * what was cut below. It is only used where the same symmetric padding gives the same number of outputs, so the
 * output positions read exactly the same inputs.
 */
record KernelCrop(int fromH, int toH, int padH, int fromW, int toW, int padW) {

    /** The crop for input size {@code h}×{@code w}, or null where every tap reads data (nothing to cut). */
    static KernelCrop of(Ops.Conv op, int h, int w) {
        int[] y = axis(h, op.kernel()[0], op.stride()[0], op.pad()[0], op.dilation()[0]);
        int[] x = axis(w, op.kernel()[1], op.stride()[1], op.pad()[1], op.dilation()[1]);
        if (y == null && x == null) {
            return null;
        }
        if (y == null) {
            y = new int[] {0, op.kernel()[0], op.pad()[0]};
        }
        if (x == null) {
            x = new int[] {0, op.kernel()[1], op.pad()[1]};
        }
        return new KernelCrop(y[0], y[1], y[2], x[0], x[1], x[2]);
    }

    /**
     * One axis: {from, to (exclusive), new padding} of the taps that read data, or null where all do, none do, or
     * the cropped kernel with symmetric padding would not give the same outputs.
     */
    static int[] axis(int n, int k, int stride, int pad, int dilation) {
        int outputs = (n + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
        int first = -1;
        int last = -1;
        for (int t = 0; t < k; t++) {
            for (int j = 0; j < outputs; j++) {
                int i = j * stride - pad + t * dilation;
                if (i >= 0 && i < n) {
                    if (first < 0) {
                        first = t;
                    }
                    last = t;
                    break;
                }
            }
        }
        if (first < 0 || (first == 0 && last == k - 1)) {
            return null;
        }
        int k2 = last - first + 1;
        int pad2 = pad - first * dilation;
        if (pad2 < 0 || (n + 2 * pad2 - dilation * (k2 - 1) - 1) / stride + 1 != outputs) {
            return null;
        }
        return new int[] {first, last + 1, pad2};
    }

    /** The cropped kernel of a weight (out, in/groups, kh, kw): a slice, so gradients reach the full weight. */
    NDArray kernel(NDArray weight) {
        return weight.get(new NDIndex(":, :, {}:{}, {}:{}", fromH, toH, fromW, toW));
    }

    Shape padding() {
        return new Shape(padH, padW);
    }
}
