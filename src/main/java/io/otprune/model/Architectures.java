package io.otprune.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model zoo, written as graphs: each architecture is a function of its widths that returns a {@link Graph}.
 * Node names are the layer names the project has always used ({@code conv1}, {@code s2.b1.conv2}, …), so runs,
 * events and old model folders keep their meaning.
 */
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
        String s = id.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "resnet-20" -> RESNET20;
            case "lenet-5" -> LENET5;
            case "mlp", "lenet-300-100" -> MLP;
            default -> s;
        };
    }

    /** The dense graph of a zoo architecture for C×H×W inputs and the given number of classes. */
    public static Graph graph(String id, int inChannels, int height, int width, int classes) {
        String c = canonical(id);
        List<Integer> widths = DEFAULT_WIDTHS.get(c);
        if (widths == null) {
            throw new IllegalArgumentException("unknown architecture '" + id + "': use one of " + ids());
        }
        return graph(c, widths, List.of(), inChannels, height, width, classes);
    }

    /**
     * A zoo architecture with given widths (see {@link LegacyModel.Architecture} for their order), without the named
     * removed layers or blocks (how model folders written before graphs described pruned models).
     */
    static Graph graph(String id, List<Integer> w, List<String> removed, int inChannels, int height, int width,
            int classes) {
        for (String r : removed) {
            if (!removable(id).contains(r)) {
                throw new IllegalArgumentException(id + " has no removable layer or block '" + r + "'");
            }
        }
        GraphBuilder g = new GraphBuilder(inChannels, height, width);
        String x;
        switch (canonical(id)) {
            case MLP -> {
                expect(id, w, 2);
                x = g.flatten("flatten", Graph.INPUT);
                for (int i = 0; i < 2; i++) {
                    String name = "fc" + (i + 1);
                    if (!removed.contains(name)) { // folded into the next layer (its ReLU was always on)
                        x = g.relu(name + ".relu", g.linear(name, x, w.get(i), true));
                    }
                }
                x = g.linear("fc3", x, classes, true);
            }
            case LENET5 -> {
                expect(id, w, 3);
                x = g.maxPool("pool1", g.relu("conv1.relu", g.conv("conv1", Graph.INPUT, w.get(0), 5, 1, 0, true)), 2, 2);
                x = g.maxPool("pool2", g.relu("conv2.relu", g.conv("conv2", x, w.get(1), 5, 1, 0, true)), 2, 2);
                x = g.flatten("flatten", x);
                if (!removed.contains("fc1")) {
                    x = g.relu("fc1.relu", g.linear("fc1", x, w.get(2), true));
                }
                x = g.linear("fc2", x, classes, true);
            }
            case VGG_SMALL -> {
                expect(id, w, 6);
                x = Graph.INPUT;
                for (int i = 0; i < 6; i++) {
                    x = g.convBn("conv" + (i + 1), x, w.get(i), 3, 1, 1, true);
                    if (i % 2 == 1) {
                        x = g.maxPool("pool" + (i / 2 + 1), x, 2, 2);
                    }
                }
                x = g.linear("fc", g.flatten("flatten", g.globalAvgPool("gap", x)), classes, true);
            }
            case RESNET20 -> {
                expect(id, w, 12);
                x = g.convBn("stem", Graph.INPUT, w.get(0), 3, 1, 1, true);
                for (int stage = 0; stage < 3; stage++) {
                    int out = w.get(stage);
                    for (int b = 0; b < 3; b++) {
                        int stride = stage > 0 && b == 0 ? 2 : 1;
                        String name = "s" + (stage + 1) + ".b" + (b + 1);
                        boolean projection = stride != 1 || g.channels(x) != out;
                        if (removed.contains(name)) {
                            // depth-pruned: relu(shortcut(x)) is what the gated-off block computed (x for identity)
                            x = projection ? g.relu(name + ".out", g.convBn(name + ".shortcut", x, out, 1, stride, 0,
                                    false)) : x;
                            continue;
                        }
                        String y = g.convBn(name + ".conv1", x, w.get(3 + stage * 3 + b), 3, stride, 1, true);
                        y = g.convBn(name + ".conv2", y, out, 3, 1, 1, false);
                        String shortcut = projection ? g.convBn(name + ".shortcut", x, out, 1, stride, 0, false) : x;
                        x = g.relu(name + ".out", g.add(name + ".add", new Ops.Add(), y, shortcut));
                    }
                }
                x = g.linear("fc", g.flatten("flatten", g.globalAvgPool("gap", x)), classes, true);
            }
            default -> throw new IllegalArgumentException("unknown architecture '" + id + "': use one of " + ids());
        }
        return g.build(x);
    }

    /** Names a format-1 description may list as removed: hidden dense layers and residual blocks. */
    private static List<String> removable(String id) {
        return switch (canonical(id)) {
            case MLP -> List.of("fc1", "fc2");
            case LENET5 -> List.of("fc1");
            case RESNET20 -> List.of("s1.b1", "s1.b2", "s1.b3", "s2.b1", "s2.b2", "s2.b3", "s3.b1", "s3.b2", "s3.b3");
            default -> List.of();
        };
    }

    private static void expect(String id, List<Integer> widths, int n) {
        if (widths.size() != n) {
            throw new IllegalArgumentException(id + " takes " + n + " widths, got " + widths);
        }
        for (int v : widths) {
            if (v <= 0) {
                throw new IllegalArgumentException(id + ": widths must be positive, got " + widths);
            }
        }
    }
}
