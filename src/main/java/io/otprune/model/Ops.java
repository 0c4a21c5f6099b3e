package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ops a graph is made of. Each is a record (its attributes are what model.json stores) implementing {@link Op}.
 * Constants on the autograd path are engine arrays made with {@code manager.full}, never Java numbers passed to
 * mul/div (a temporary scalar tensor freed too early gives wrong gradients).
 */
public final class Ops {
    private Ops() {}

    /** Every op by its model.json name: the one list to extend with a new op. */
    public static final Map<String, Class<? extends Op>> TYPES = types(Conv.class, Linear.class, BatchNorm.class,
            Relu.class, Clip.class, Sigmoid.class, HardSigmoid.class, HardSwish.class, Silu.class, MaxPool.class,
            AvgPool.class, GlobalAvgPool.class, Add.class, Mul.class, Concat.class, Flatten.class, Identity.class,
            ZeroPad.class, Unflatten.class);

    @SafeVarargs
    private static Map<String, Class<? extends Op>> types(Class<? extends Op>... classes) {
        Map<String, Class<? extends Op>> m = new LinkedHashMap<>();
        for (Class<? extends Op> c : classes) {
            m.put(typeName(c), c);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** {@code GlobalAvgPool} → {@code global-avg-pool}. */
    static String typeName(Class<?> c) {
        return c.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    // ---- ops with parameters ------------------------------------------------------------------------------------

    /**
     * 2-D convolution: weight (out, in/groups, kh, kw), optional bias. groups = in = out is a depthwise conv (each
     * channel filtered on its own); other groups > 1 are grouped convs, whose channels stay as they are.
     */
    public record Conv(int out, int in, int[] kernel, int[] stride, int[] pad, int[] dilation, int groups, boolean bias)
            implements Op {
        public Conv {
            if (out <= 0 || in <= 0 || groups <= 0 || in % groups != 0 || out % groups != 0) {
                throw new IllegalArgumentException("conv " + in + "->" + out + " with " + groups + " groups");
            }
        }

        /** A square conv with stride, padding and no dilation or groups. */
        public static Conv of(int in, int out, int k, int stride, int pad, boolean bias) {
            return new Conv(out, in, new int[] {k, k}, new int[] {stride, stride}, new int[] {pad, pad},
                    new int[] {1, 1}, 1, bias);
        }

        public boolean depthwise() {
            return groups > 1 && groups == in && groups == out;
        }

        @Override public String type() { return "conv"; }

        @Override
        public int[] outShape(List<int[]> s) {
            int[] x = s.get(0);
            if (x.length != 3 || x[0] != in) {
                throw new IllegalArgumentException("expects " + in + " input channels, got " + Arrays.toString(x));
            }
            int h = (x[1] + 2 * pad[0] - dilation[0] * (kernel[0] - 1) - 1) / stride[0] + 1;
            int w = (x[2] + 2 * pad[1] - dilation[1] * (kernel[1] - 1) - 1) / stride[1] + 1;
            if (h <= 0 || w <= 0) {
                throw new IllegalArgumentException("input " + x[1] + "x" + x[2] + " is too small for this conv");
            }
            return new int[] {out, h, w};
        }

        @Override
        public ChannelFlow channelFlow() {
            return groups == 1 ? ChannelFlow.PRODUCE : depthwise() ? ChannelFlow.PER_CHANNEL : ChannelFlow.FIXED;
        }

        @Override
        public long params(List<int[]> s, int[] o) {
            return (long) out * (in / groups) * kernel[0] * kernel[1] + (bias ? out : 0);
        }

        @Override
        public long macs(List<int[]> s, int[] o) {
            return (long) o[1] * o[2] * out * (in / groups) * kernel[0] * kernel[1];
        }

        @Override public Block newBlock(String name) { return new ConvLayer(name, this); }

        @Override
        public NDArray forward(Block block, ParameterStore ps, List<NDArray> x, boolean training) {
            return ((ConvLayer) block).apply(ps, x.get(0), training);
        }

        @Override public boolean preservesZero() { return !bias; }

        @Override
        public Op resized(List<int[]> s, int outChannels) {
            int c = s.get(0)[0];
            return switch (channelFlow()) {
                case PRODUCE -> new Conv(outChannels, c, kernel, stride, pad, dilation, 1, bias);
                case PER_CHANNEL -> new Conv(c, c, kernel, stride, pad, dilation, c, bias);
                default -> this;
            };
        }
    }

    /** Fully connected layer: weight (out, in), optional bias; input (in) features. */
    public record Linear(int out, int in, boolean bias) implements Op {
        @Override public String type() { return "linear"; }

        @Override
        public int[] outShape(List<int[]> s) {
            int f = Arrays.stream(s.get(0)).reduce(1, (a, b) -> a * b);
            if (s.get(0).length != 1 || f != in) {
                throw new IllegalArgumentException("expects " + in + " input features, got " + Arrays.toString(s.get(0))
                        + (s.get(0).length != 1 ? " (flatten first)" : ""));
            }
            return new int[] {out};
        }

        @Override public ChannelFlow channelFlow() { return ChannelFlow.PRODUCE; }
        @Override public long params(List<int[]> s, int[] o) { return (long) out * in + (bias ? out : 0); }
        @Override public long macs(List<int[]> s, int[] o) { return (long) out * in; }
        @Override public Block newBlock(String name) { return new LinearLayer(name, this); }

        @Override
        public NDArray forward(Block block, ParameterStore ps, List<NDArray> x, boolean training) {
            return ((LinearLayer) block).apply(ps, x.get(0), training);
        }

        @Override public boolean preservesZero() { return !bias; }
        @Override public Op resized(List<int[]> s, int outChannels) { return new Linear(outChannels, s.get(0)[0], bias); }
    }

    /** Batch normalisation over channels (axis 1): gamma, beta and running mean and variance (momentum 0.9). */
    public record BatchNorm(int channels, float eps) implements Op {
        /** The running statistics' momentum (DJL's convention: the old value's weight). */
        private static final float MOMENTUM = 0.9f;

        @Override public String type() { return "batch-norm"; }

        @Override
        public int[] outShape(List<int[]> s) {
            if (s.get(0)[0] != channels) {
                throw new IllegalArgumentException("expects " + channels + " channels, got " + Arrays.toString(s.get(0)));
            }
            return s.get(0);
        }

        @Override public ChannelFlow channelFlow() { return ChannelFlow.PASS; }
        @Override public long params(List<int[]> s, int[] o) { return 2L * channels; }

        @Override
        public Block newBlock(String name) {
            return ai.djl.nn.norm.BatchNorm.builder().optMomentum(MOMENTUM).optEpsilon(eps).build();
        }

        @Override
        public NDArray forward(Block block, ParameterStore ps, List<NDArray> x, boolean training) {
            return block.forward(ps, new NDList(x.get(0)), training).singletonOrThrow();
        }

        /**
         * m·(γ·x̂ + β) = (m·γ)·x̂ + m·β: the gate scales the affine terms, an array of {@code channels}, and the
         * output and its gradients are those of the product with the output, without that full-size product and
         * its backward pass (which were most of what a DTP channel step added on resnet20, docs/benchmarks.md §12).
         * The running statistics see x only, as before; same call as DJL's BatchNorm block makes.
         */
        @Override
        public NDArray forwardScaled(Block block, ParameterStore ps, List<NDArray> x, boolean training, NDArray scale) {
            NDArray in = x.get(0);
            var p = block.getDirectParameters();
            NDArray gamma = ps.getValue(p.get("gamma"), in.getDevice(), training);
            NDArray beta = ps.getValue(p.get("beta"), in.getDevice(), training);
            // the products go to the pass's manager: never the model's (parameter first) nor the run's (a hard
            // mask's), where each step's arrays would stay until those close (engine trap 2)
            NDArray g = scale.mul(gamma), b = scale.mul(beta);
            g.attach(in.getManager());
            b.attach(in.getManager());
            return ai.djl.nn.norm.BatchNorm.batchNorm(in, ps.getValue(p.get("runningMean"), in.getDevice(), training),
                    ps.getValue(p.get("runningVar"), in.getDevice(), training), g, b, 1, MOMENTUM, eps, training)
                    .singletonOrThrow();
        }

        @Override public boolean preservesZero() { return false; }
        @Override public Op resized(List<int[]> s, int outChannels) { return new BatchNorm(s.get(0)[0], eps); }
    }

    // ---- activations --------------------------------------------------------------------------------------------

    /** An element-wise op that keeps the shape and the channels. */
    interface Elementwise extends Op {
        @Override default int[] outShape(List<int[]> s) { return s.get(0); }
        @Override default ChannelFlow channelFlow() { return ChannelFlow.PASS; }
    }

    /** A scalar constant as an array of the input's manager and device (engine-owned: safe on the autograd path). */
    static NDArray constant(NDArray like, float v) {
        return like.getManager().full(new Shape(), v, like.getDataType(), like.getDevice());
    }

    public record Relu() implements Elementwise {
        @Override public String type() { return "relu"; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            return Activation.relu(x.get(0));
        }
    }

    /** min(max(x, min), max): ReLU6 is Clip(0, 6). */
    public record Clip(float min, float max) implements Elementwise {
        public static Clip relu6() {
            return new Clip(0, 6);
        }

        @Override public String type() { return "clip"; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> in, boolean training) {
            NDArray x = in.get(0);
            NDArray y = Float.isInfinite(min) ? x : x.maximum(constant(x, min));
            return Float.isInfinite(max) ? y : y.minimum(constant(x, max));
        }

        @Override public boolean preservesZero() { return min <= 0 && max >= 0; }
    }

    public record Sigmoid() implements Elementwise {
        @Override public String type() { return "sigmoid"; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            return Activation.sigmoid(x.get(0));
        }

        @Override public boolean preservesZero() { return false; }
    }

    /** max(0, min(1, αx + β)); PyTorch's Hardsigmoid is α = 1/6, β = 1/2. */
    public record HardSigmoid(float alpha, float beta) implements Elementwise {
        public static HardSigmoid pytorch() {
            return new HardSigmoid(1f / 6, 0.5f);
        }

        @Override public String type() { return "hard-sigmoid"; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> in, boolean training) {
            return apply(in.get(0), alpha, beta);
        }

        static NDArray apply(NDArray x, float alpha, float beta) {
            return x.mul(constant(x, alpha)).add(constant(x, beta)).maximum(constant(x, 0)).minimum(constant(x, 1));
        }

        @Override public boolean preservesZero() { return false; }
    }

    /** x · HardSigmoid(x) with α = 1/6, β = 1/2 (MobileNetV3). */
    public record HardSwish() implements Elementwise {
        @Override public String type() { return "hard-swish"; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> in, boolean training) {
            NDArray x = in.get(0);
            return x.mul(HardSigmoid.apply(x, 1f / 6, 0.5f));
        }
    }

    /** x · σ(x) (also called swish). */
    public record Silu() implements Elementwise {
        @Override public String type() { return "silu"; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> in, boolean training) {
            return in.get(0).mul(Activation.sigmoid(in.get(0)));
        }
    }

    /** Passes its input on (also what Dropout is at inference and in this project's training of imported graphs). */
    public record Identity() implements Elementwise {
        @Override public String type() { return "identity"; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            return x.get(0);
        }
    }

    // ---- pooling ------------------------------------------------------------------------------------------------

    static int pooled(int side, int k, int s, int p, boolean ceil) {
        int span = side + 2 * p - k;
        if (span < 0) {
            throw new IllegalArgumentException("input side " + side + " is smaller than the pooling window " + k);
        }
        int n = (ceil ? (span + s - 1) / s : span / s) + 1;
        // PyTorch's rule: the last window must start inside the input or its left padding
        if (ceil && (n - 1) * s >= side + p) {
            n--;
        }
        return n;
    }

    static int[] poolShape(List<int[]> in, int[] k, int[] s, int[] p, boolean ceil) {
        int[] x = in.get(0);
        if (x.length != 3) {
            throw new IllegalArgumentException("pooling expects a feature map, got " + Arrays.toString(x));
        }
        return new int[] {x[0], pooled(x[1], k[0], s[0], p[0], ceil), pooled(x[2], k[1], s[1], p[1], ceil)};
    }

    public record MaxPool(int[] kernel, int[] stride, int[] pad, boolean ceil) implements Op {
        public static MaxPool of(int k, int s) {
            return new MaxPool(new int[] {k, k}, new int[] {s, s}, new int[] {0, 0}, false);
        }

        @Override public String type() { return "max-pool"; }
        @Override public int[] outShape(List<int[]> in) { return poolShape(in, kernel, stride, pad, ceil); }
        @Override public ChannelFlow channelFlow() { return ChannelFlow.PASS; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            return Pool.maxPool2d(x.get(0), new Shape(kernel[0], kernel[1]), new Shape(stride[0], stride[1]),
                    new Shape(pad[0], pad[1]), ceil);
        }
    }

    public record AvgPool(int[] kernel, int[] stride, int[] pad, boolean ceil, boolean countPad) implements Op {
        @Override public String type() { return "avg-pool"; }
        @Override public int[] outShape(List<int[]> in) { return poolShape(in, kernel, stride, pad, ceil); }
        @Override public ChannelFlow channelFlow() { return ChannelFlow.PASS; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            NDArray in = x.get(0);
            NDArray mean = pool(in);
            if (countPad || (pad[0] == 0 && pad[1] == 0)) {
                return mean;
            }
            // DJL 0.35.1's PyTorch avgPool2d ignores countIncludePad (always counts the padding), so the mean over
            // the real values is the padded mean divided by the padded mean of ones (the share of real values)
            long[] s = in.getShape().getShape();
            NDArray ones = in.getManager().ones(new Shape(1, 1, s[2], s[3]), in.getDataType(), in.getDevice());
            return mean.div(pool(ones));
        }

        private NDArray pool(NDArray in) {
            return Pool.avgPool2d(in, new Shape(kernel[0], kernel[1]), new Shape(stride[0], stride[1]),
                    new Shape(pad[0], pad[1]), ceil, true);
        }
    }

    /** Mean over H and W, keeping them as 1×1: (C, H, W) → (C, 1, 1). */
    public record GlobalAvgPool() implements Op {
        @Override public String type() { return "global-avg-pool"; }

        @Override
        public int[] outShape(List<int[]> in) {
            if (in.get(0).length != 3) {
                throw new IllegalArgumentException("expects a feature map, got " + Arrays.toString(in.get(0)));
            }
            return new int[] {in.get(0)[0], 1, 1};
        }

        @Override public ChannelFlow channelFlow() { return ChannelFlow.PASS; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            NDArray y = Pool.globalAvgPool2d(x.get(0));
            return y.reshape(y.getShape().get(0), y.getShape().get(1), 1, 1);
        }
    }

    /**
     * Zero padding of a feature map, possibly uneven (PyTorch's ZeroPad2d, ONNX Pad): what a conv's or pool's own
     * padding cannot say. Even padding in front of a conv or an average pool is folded into it when a graph is
     * imported; this op holds the rest.
     */
    public record ZeroPad(int top, int left, int bottom, int right) implements Op {
        public ZeroPad {
            if (top < 0 || left < 0 || bottom < 0 || right < 0) {
                throw new IllegalArgumentException("zero padding cannot be negative: " + top + ", " + left + ", "
                        + bottom + ", " + right);
            }
        }

        @Override public String type() { return "zero-pad"; }

        @Override
        public int[] outShape(List<int[]> in) {
            int[] x = in.get(0);
            if (x.length != 3) {
                throw new IllegalArgumentException("padding expects a feature map, got " + Arrays.toString(x));
            }
            return new int[] {x[0], x[1] + top + bottom, x[2] + left + right};
        }

        @Override public ChannelFlow channelFlow() { return ChannelFlow.PASS; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            // pairs from the last axis backwards, as torch's F.pad: (left, right) of W, then (top, bottom) of H
            return x.get(0).pad(new Shape(left, right, top, bottom), 0);
        }
    }

    // ---- joins and reshapes -------------------------------------------------------------------------------------

    /** The broadcast shape of two per-sample shapes of equal rank (a 1 stretches). */
    static int[] broadcast(List<int[]> in) {
        int[] out = in.get(0).clone();
        for (int[] s : in.subList(1, in.size())) {
            if (s.length != out.length) {
                throw new IllegalArgumentException("inputs of different rank: " + Arrays.toString(out) + " and "
                        + Arrays.toString(s));
            }
            for (int i = 0; i < s.length; i++) {
                if (s[i] != out[i] && s[i] != 1 && out[i] != 1) {
                    throw new IllegalArgumentException("inputs do not broadcast: " + Arrays.toString(in.get(0))
                            + " and " + Arrays.toString(s));
                }
                out[i] = Math.max(out[i], s[i]);
            }
        }
        return out;
    }

    /** Element-wise sum of two inputs of the same shape (residual additions). */
    public record Add() implements Op {
        @Override public String type() { return "add"; }

        @Override
        public int[] outShape(List<int[]> in) {
            if (in.size() != 2) {
                throw new IllegalArgumentException("add takes 2 inputs, got " + in.size());
            }
            return broadcast(in);
        }

        @Override public ChannelFlow channelFlow() { return ChannelFlow.JOIN; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            return x.get(0).add(x.get(1));
        }
    }

    /**
     * Element-wise product, broadcasting: a per-channel vector (C, 1, 1) times a map (C, H, W), as in
     * squeeze-and-excitation, or two maps.
     */
    public record Mul() implements Op {
        @Override public String type() { return "mul"; }

        @Override
        public int[] outShape(List<int[]> in) {
            if (in.size() != 2) {
                throw new IllegalArgumentException("mul takes 2 inputs, got " + in.size());
            }
            return broadcast(in);
        }

        @Override public ChannelFlow channelFlow() { return ChannelFlow.JOIN; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            return x.get(0).mul(x.get(1));
        }
    }

    /** Concatenation along channels. */
    public record Concat() implements Op {
        @Override public String type() { return "concat"; }

        @Override
        public int[] outShape(List<int[]> in) {
            int[] out = in.get(0).clone();
            for (int[] s : in.subList(1, in.size())) {
                if (s.length != out.length || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length),
                        Arrays.copyOfRange(out, 1, out.length))) {
                    throw new IllegalArgumentException("concat inputs differ beyond channels: "
                            + Arrays.toString(in.get(0)) + " and " + Arrays.toString(s));
                }
                out[0] += s[0];
            }
            return out;
        }

        @Override public ChannelFlow channelFlow() { return ChannelFlow.CONCAT; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            return NDArrays.concat(new NDList(x), 1);
        }
    }

    /** (C, H, W) → (C·H·W), channel-major: channel c owns features [c·H·W, (c+1)·H·W). */
    public record Flatten() implements Op {
        @Override public String type() { return "flatten"; }

        @Override
        public int[] outShape(List<int[]> in) {
            return new int[] {Arrays.stream(in.get(0)).reduce(1, (a, b) -> a * b)};
        }

        @Override public ChannelFlow channelFlow() { return ChannelFlow.FLATTEN; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            return x.get(0).reshape(x.get(0).getShape().get(0), -1);
        }
    }

    /**
     * (F) → (F, 1, 1): a vector of per-channel values as a 1×1 map, e.g. a squeeze-and-excitation gate computed by
     * linear layers and multiplied into a map. Feature f is channel f, so channels pass through unchanged.
     */
    public record Unflatten() implements Op {
        @Override public String type() { return "unflatten"; }

        @Override
        public int[] outShape(List<int[]> in) {
            if (in.get(0).length != 1) {
                throw new IllegalArgumentException("expects a vector, got " + Arrays.toString(in.get(0)));
            }
            return new int[] {in.get(0)[0], 1, 1};
        }

        @Override public ChannelFlow channelFlow() { return ChannelFlow.PASS; }

        @Override
        public NDArray forward(Block b, ParameterStore ps, List<NDArray> x, boolean training) {
            return x.get(0).reshape(x.get(0).getShape().get(0), -1, 1, 1);
        }
    }
}
