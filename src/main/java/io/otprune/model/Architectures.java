package io.otprune.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The model zoo: builds each architecture from an {@link ArchSpec}. */
public final class Architectures {
    public static final String MLP = "mlp-300-100";
    public static final String LENET5 = "lenet5";
    public static final String VGG_SMALL = "vgg-small";
    public static final String RESNET20 = "resnet20";

    private static final Map<String, List<Integer>> DEFAULT_WIDTHS = Map.of(
            MLP, List.of(300, 100),
            LENET5, List.of(20, 50, 500),
            VGG_SMALL, List.of(32, 32, 64, 64, 128, 128),
            RESNET20, List.of(16, 32, 64, 16, 16, 16, 32, 32, 32, 64, 64, 64));

    private Architectures() {}

    public static List<String> ids() {
        return List.of(MLP, LENET5, VGG_SMALL, RESNET20);
    }

    /** Canonical id for a name a user typed ({@code resnet-20} and {@code resnet20} are the same). */
    public static String canonical(String id) {
        String s = id.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("resnet-20")) {
            return RESNET20;
        }
        if (s.equals("lenet-5")) {
            return LENET5;
        }
        if (s.equals("mlp") || s.equals("lenet-300-100")) {
            return MLP;
        }
        return s;
    }

    /** The dense spec of an architecture for 28x28 greyscale inputs and the given number of classes. */
    public static ArchSpec defaultSpec(String id, int inChannels, int height, int width, int classes) {
        String c = canonical(id);
        List<Integer> widths = DEFAULT_WIDTHS.get(c);
        if (widths == null) {
            throw new IllegalArgumentException("unknown architecture '" + id + "': use one of " + ids());
        }
        return new ArchSpec(c, widths, inChannels, height, width, classes);
    }

    /**
     * For each entry of an architecture's widths, the layer whose output channels it is (its residual stage's
     * first producer, for the coupled widths of resnet20): how a compacted model's widths are read off.
     */
    public static List<String> widthLayers(String id) {
        return switch (canonical(id)) {
            case MLP -> List.of("fc1", "fc2");
            case LENET5 -> List.of("conv1", "conv2", "fc1");
            case VGG_SMALL -> List.of("conv1", "conv2", "conv3", "conv4", "conv5", "conv6");
            case RESNET20 -> List.of("stem", "s2.b1.shortcut", "s3.b1.shortcut", "s1.b1.conv1", "s1.b2.conv1",
                    "s1.b3.conv1", "s2.b1.conv1", "s2.b2.conv1", "s2.b3.conv1", "s3.b1.conv1", "s3.b2.conv1",
                    "s3.b3.conv1");
            default -> throw new IllegalArgumentException("unknown architecture '" + id + "'");
        };
    }

    /** Builds the (uninitialised) network of a spec. */
    public static Network build(ArchSpec spec) {
        for (String r : spec.removed()) {
            if (!removable(spec.id()).contains(r)) {
                throw new IllegalArgumentException(spec.id() + " has no removable layer or block '" + r + "'");
            }
        }
        List<Integer> w = spec.widths();
        List<PrunableLayer> layers = new ArrayList<>();
        List<ResidualBlock> blocks = new ArrayList<>();
        SequentialBlock net = new SequentialBlock();
        switch (spec.id()) {
            case MLP -> {
                expect(spec, 2);
                int in = spec.inputSize();
                in = addDense(net, layers, spec, "fc1", in, w.get(0));
                in = addDense(net, layers, spec, "fc2", in, w.get(1));
                add(net, layers, new DenseUnit("fc3", in, spec.classes(), false, true));
            }
            case LENET5 -> {
                expect(spec, 3);
                add(net, layers, new ConvUnit("conv1", spec.inChannels(), w.get(0), 5, 1, 0, false, true));
                net.add(maxPool());
                add(net, layers, new ConvUnit("conv2", w.get(0), w.get(1), 5, 1, 0, false, true));
                net.add(maxPool());
                int side = ((spec.height() - 4) / 2 - 4) / 2;
                int side2 = ((spec.width() - 4) / 2 - 4) / 2;
                if (side <= 0 || side2 <= 0) {
                    throw new IllegalArgumentException("lenet5 needs inputs of at least 16x16, got "
                            + spec.height() + "x" + spec.width());
                }
                int in = addDense(net, layers, spec, "fc1", w.get(1) * side * side2, w.get(2));
                add(net, layers, new DenseUnit("fc2", in, spec.classes(), false, true));
            }
            case VGG_SMALL -> {
                expect(spec, 6);
                int in = spec.inChannels();
                for (int i = 0; i < 6; i++) {
                    add(net, layers, new ConvUnit("conv" + (i + 1), in, w.get(i), 3, 1, 1, true, true));
                    in = w.get(i);
                    if (i % 2 == 1) {
                        net.add(maxPool());
                    }
                }
                net.add(Pool.globalAvgPool2dBlock());
                add(net, layers, new DenseUnit("fc", in, spec.classes(), false, true));
            }
            case RESNET20 -> {
                expect(spec, 12);
                add(net, layers, new ConvUnit("stem", spec.inChannels(), w.get(0), 3, 1, 1, true, true));
                int in = w.get(0);
                for (int stage = 0; stage < 3; stage++) {
                    int out = w.get(stage);
                    for (int b = 0; b < 3; b++) {
                        int stride = stage > 0 && b == 0 ? 2 : 1;
                        String name = "s" + (stage + 1) + ".b" + (b + 1);
                        if (spec.isRemoved(name)) {
                            // depth-pruned: nothing left of an identity block; a projection block keeps its
                            // projection, and relu(bn(conv1x1(x))) is what the gated-off block computed
                            if (stride != 1 || in != out) {
                                add(net, layers, new ConvUnit(name + ".shortcut", in, out, 1, stride, 0, true, true));
                            }
                            in = out;
                            continue;
                        }
                        ResidualBlock block = new ResidualBlock(name, in, w.get(3 + stage * 3 + b), out, stride);
                        net.add(block);
                        blocks.add(block);
                        layers.add(block.conv1());
                        layers.add(block.conv2());
                        if (block.shortcut() != null) {
                            layers.add(block.shortcut());
                        }
                        in = out;
                    }
                }
                net.add(Pool.globalAvgPool2dBlock());
                add(net, layers, new DenseUnit("fc", in, spec.classes(), false, true));
            }
            default -> throw new IllegalArgumentException("unknown architecture '" + spec.id() + "': use one of " + ids());
        }
        return new Network(spec, net, layers, blocks);
    }

    /**
     * Adds a hidden dense layer with ReLU unless the spec says it was folded into the next layer (its ReLU was
     * always on, so next(relu(fc(x))) = next(fc(x)) is one linear map); returns the next layer's input width.
     */
    private static int addDense(SequentialBlock net, List<PrunableLayer> layers, ArchSpec spec, String name, int in,
            int out) {
        if (spec.isRemoved(name)) {
            return in;
        }
        add(net, layers, new DenseUnit(name, in, out, true, false));
        return out;
    }

    /** Names of the layers and blocks a spec may remove: hidden dense layers and residual blocks. */
    public static List<String> removable(String id) {
        return switch (canonical(id)) {
            case MLP -> List.of("fc1", "fc2");
            case LENET5 -> List.of("fc1");
            case RESNET20 -> List.of("s1.b1", "s1.b2", "s1.b3", "s2.b1", "s2.b2", "s2.b3", "s3.b1", "s3.b2", "s3.b3");
            default -> List.of();
        };
    }

    private static void expect(ArchSpec spec, int n) {
        if (spec.widths().size() != n) {
            throw new IllegalArgumentException(spec.id() + " takes " + n + " widths, got " + spec.widths());
        }
    }

    private static <B extends Block & PrunableLayer> void add(SequentialBlock net, List<PrunableLayer> layers, B unit) {
        net.add(unit);
        layers.add(unit);
    }

    private static Block maxPool() {
        return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }
}
