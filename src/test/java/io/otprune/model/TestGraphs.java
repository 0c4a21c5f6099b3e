package io.otprune.model;

/** Graphs for tests that the zoo does not have. */
public final class TestGraphs {
    private TestGraphs() {}

    /**
     * A small MobileNetV2-style network for 1×28×28 inputs that uses every op of the graph model: an inverted
     * residual block with a depthwise conv, ReLU6 and a squeeze-and-excitation gate (global pooling, 1×1 convs with
     * bias, HardSigmoid, Mul); a two-branch block joined by Concat (SiLU and Sigmoid); a residual block with a
     * dilated conv, a grouped conv and a projection shortcut; average and max pooling, Flatten, Identity (dropout)
     * and two Linear layers. HardSwish after the stem.
     *
     * <pre>
     * stem  conv3x3/2 1→8, bn, hard-swish                                   28→14
     * b1    expand 1x1 8→16, bn, relu6 · dw 3x3 16, bn, relu6
     *       se: gap, conv1x1 16→4 (+bias), relu, conv1x1 4→16 (+bias), hard-sigmoid, mul with dw
     *       project 1x1 16→8, bn · add with stem (identity shortcut)
     * b2    left 3x3 8→6, bn, silu · right 1x1 8→6, bn, sigmoid · concat 12 · max-pool 2    14→7
     * b3    conv 3x3 dilation 2 12→12, bn, relu · grouped conv 3x3 (2 groups) 12→12, bn
     *       shortcut 1x1 12→12, bn · add · relu
     * head  avg-pool 3/2 pad 1 (7→4) · flatten 192 · dropout (identity) · fc1 192→32, relu · fc2 32→10
     * </pre>
     */
    public static Graph mobileNetStyle() {
        GraphBuilder g = new GraphBuilder(1, 28, 28);
        String x = g.add("stem.act", new Ops.HardSwish(), g.bn("stem.bn", g.conv("stem", Graph.INPUT, 8, 3, 2, 1,
                false)));
        String stem = x;
        String e = g.add("b1.expand.act", Ops.Clip.relu6(), g.bn("b1.expand.bn", g.conv("b1.expand", x, 16, 1, 1, 0,
                false)));
        String dw = g.add("b1.dw.act", Ops.Clip.relu6(), g.bn("b1.dw.bn", g.depthwise("b1.dw", e, 3, 1, 1)));
        String se = g.globalAvgPool("b1.se.pool", dw);
        se = g.relu("b1.se.relu", g.conv("b1.se.fc1", se, 4, 1, 1, 0, true));
        se = g.add("b1.se.gate", Ops.HardSigmoid.pytorch(), g.conv("b1.se.fc2", se, 16, 1, 1, 0, true));
        String scaled = g.add("b1.se.mul", new Ops.Mul(), dw, se);
        String p = g.bn("b1.project.bn", g.conv("b1.project", scaled, 8, 1, 1, 0, false));
        x = g.add("b1.add", new Ops.Add(), p, stem);

        String left = g.add("b2.left.act", new Ops.Silu(), g.bn("b2.left.bn", g.conv("b2.left", x, 6, 3, 1, 1,
                false)));
        String right = g.add("b2.right.act", new Ops.Sigmoid(), g.bn("b2.right.bn", g.conv("b2.right", x, 6, 1, 1,
                0, false)));
        x = g.maxPool("b2.pool", g.add("b2.cat", new Ops.Concat(), left, right), 2, 2);

        String b = g.relu("b3.relu1", g.bn("b3.bn1", g.add("b3.conv1", new Ops.Conv(12, 12, new int[] {3, 3},
                new int[] {1, 1}, new int[] {2, 2}, new int[] {2, 2}, 1, false), x)));
        b = g.bn("b3.bn2", g.add("b3.conv2", new Ops.Conv(12, 12, new int[] {3, 3}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, 2, false), b));
        String sc = g.bn("b3.shortcut.bn", g.conv("b3.shortcut", x, 12, 1, 1, 0, false));
        x = g.relu("b3.out", g.add("b3.add", new Ops.Add(), b, sc));

        x = g.add("head.pool", new Ops.AvgPool(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false, false),
                x);
        x = g.add("head.dropout", new Ops.Identity(), g.flatten("head.flatten", x));
        x = g.relu("fc1.relu", g.linear("fc1", x, 32, true));
        return g.build(g.linear("fc2", x, 10, true));
    }

    /**
     * A CIFAR-style ResNet of 6n+2 layers for 1×28×28 inputs (n = 3: resnet20's shape, n = 9: resnet56, 199 nodes):
     * a stem, three stages of n basic blocks (8, 16, 32 channels; a projection where the stride or width changes),
     * global pooling and a linear layer. Deep graphs for the graph view.
     */
    public static Graph resnet(int n) {
        GraphBuilder g = new GraphBuilder(1, 28, 28);
        String x = g.convBn("stem", Graph.INPUT, 8, 3, 1, 1, true);
        for (int stage = 0; stage < 3; stage++) {
            int out = 8 << stage;
            for (int b = 0; b < n; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String name = "s" + (stage + 1) + ".b" + (b + 1);
                String y = g.convBn(name + ".conv2", g.convBn(name + ".conv1", x, out, 3, stride, 1, true), out, 3, 1,
                        1, false);
                String shortcut = stride != 1 || g.channels(x) != out
                        ? g.convBn(name + ".shortcut", x, out, 1, stride, 0, false) : x;
                x = g.relu(name + ".out", g.add(name + ".add", new Ops.Add(), y, shortcut));
            }
        }
        return g.build(g.linear("fc", g.flatten("flatten", g.globalAvgPool("gap", x)), 10, true));
    }
}
