package io.otprune.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model folders written before networks were graphs (model.json format 1): a zoo architecture id with its widths,
 * and weights saved in the layout of that architecture's block tree. Such a folder is read by converting the
 * architecture to its graph ({@link Architectures}) and reading the weights through a replica of the old tree's
 * save layout (block versions, metadata and parameter order), then copying them into the graph's nodes by name.
 */
public final class LegacyModel {
    /** The model.json format this class reads. */
    public static final int FORMAT = 1;

    private LegacyModel() {}

    /**
     * The old description: zoo id, widths ({@code mlp-300-100}: [h1, h2]; {@code lenet5}: [conv1, conv2, fc1];
     * {@code vgg-small}: the six conv widths; {@code resnet20}: [stage1, stage2, stage3] then the nine blocks' inner
     * widths), input shape, classes, and the hidden layers or residual blocks that pruning removed.
     */
    public record Architecture(String id, List<Integer> widths, int inChannels, int height, int width, int classes,
            List<String> removed) {
        public Graph graph() {
            return Architectures.graph(id, widths, removed == null ? List.of() : removed, inChannels, height, width,
                    classes);
        }
    }

    /** Reads a format-1 parameter stream into {@code net} (built from {@link Architecture#graph()}). */
    static void read(Architecture arch, Network net, NDManager manager, DataInputStream in)
            throws IOException, MalformedModelException {
        SequentialBlock tree = new SequentialBlock();
        Map<String, Block> byNode = new LinkedHashMap<>();
        List<String> removed = arch.removed() == null ? List.of() : arch.removed();
        switch (Architectures.canonical(arch.id())) {
            case Architectures.MLP -> {
                for (String fc : List.of("fc1", "fc2")) {
                    if (!removed.contains(fc)) {
                        tree.add(layer(fc, true, false, byNode));
                    }
                }
                tree.add(layer("fc3", true, false, byNode));
            }
            case Architectures.LENET5 -> {
                tree.add(layer("conv1", true, false, byNode)).add(lambda());
                tree.add(layer("conv2", true, false, byNode)).add(lambda());
                if (!removed.contains("fc1")) {
                    tree.add(layer("fc1", true, false, byNode));
                }
                tree.add(layer("fc2", true, false, byNode));
            }
            case Architectures.VGG_SMALL -> {
                for (int i = 1; i <= 6; i++) {
                    tree.add(layer("conv" + i, false, true, byNode));
                    if (i % 2 == 0) {
                        tree.add(lambda());
                    }
                }
                tree.add(lambda()).add(layer("fc", true, false, byNode));
            }
            case Architectures.RESNET20 -> {
                tree.add(layer("stem", false, true, byNode));
                Graph g = net.graph();
                for (int s = 1; s <= 3; s++) {
                    for (int b = 1; b <= 3; b++) {
                        String name = "s" + s + ".b" + b;
                        boolean projection = g.has(name + ".shortcut");
                        if (removed.contains(name)) {
                            if (projection) {
                                tree.add(layer(name + ".shortcut", false, true, byNode));
                            }
                            continue;
                        }
                        Holder block = new Holder(List.of());
                        block.child("conv1", layer(name + ".conv1", false, true, byNode));
                        block.child("conv2", layer(name + ".conv2", false, true, byNode));
                        if (projection) {
                            block.child("shortcut", layer(name + ".shortcut", false, true, byNode));
                        }
                        tree.add(block);
                    }
                }
                tree.add(lambda()).add(layer("fc", true, false, byNode));
            }
            default -> throw new MalformedModelException("unknown architecture '" + arch.id() + "'");
        }
        tree.loadParameters(manager, in);
        for (Map.Entry<String, Block> e : byNode.entrySet()) {
            copy(e.getValue(), net.block().blockOf(e.getKey()), e.getKey());
        }
    }

    private static void copy(Block from, Block to, String node) throws MalformedModelException {
        if (to == null) {
            throw new MalformedModelException("the graph has no node " + node);
        }
        for (var p : from.getDirectParameters()) {
            Parameter dst = to.getDirectParameters().get(p.getKey());
            NDArray src = p.getValue().getArray();
            if (dst == null || !dst.getArray().getShape().equals(src.getShape())) {
                throw new MalformedModelException("parameter " + node + "." + p.getKey() + " has shape "
                        + src.getShape() + " but the architecture expects "
                        + (dst == null ? "none" : dst.getArray().getShape()));
            }
            dst.getArray().set(src.toFloatArray());
        }
    }

    /** An old conv or dense layer: weight, a bias unless BN follows, and BN as child "bn" (node {@code name.bn}). */
    private static Holder layer(String name, boolean bias, boolean bn, Map<String, Block> byNode) {
        Holder h = new Holder(bias ? List.of("weight", "bias") : List.of("weight"));
        byNode.put(name, h);
        if (bn) {
            BatchNorm norm = BatchNorm.builder().build();
            h.child("bn", norm);
            byNode.put(name + ".bn", norm);
        }
        return h;
    }

    private static Block lambda() {
        return new LambdaBlock(x -> x);
    }

    /** A block with the old layers' version byte, parameter names and children: only ever loaded into. */
    private static final class Holder extends AbstractBlock {
        Holder(List<String> params) {
            super((byte) 1);
            for (String p : params) {
                addParameter(Parameter.builder().setName(p).setType(p.equals("bias") ? Parameter.Type.BIAS
                        : Parameter.Type.WEIGHT).build());
            }
        }

        void child(String name, Block b) {
            addChildBlock(name, b);
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            throw new UnsupportedOperationException("only for reading old parameter files");
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
