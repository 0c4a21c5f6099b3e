package io.otprune.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OrtException;
import io.otprune.util.Files2;
import io.otprune.util.Versions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a network as an ONNX file (opset 13) from its graph and weights: the graph-to-ONNX direction of issue 14,
 * one ONNX pattern per op in {@link Writer#node}. Every file is run in ONNX Runtime against the project's own
 * forward pass before it is kept ({@link #export}).
 */
public final class OnnxExport {
    private OnnxExport() {}

    public static final int OPSET = 13;
    /** The IR version that goes with opset 13 (what PyTorch writes). */
    static final int IR_VERSION = 7;
    /** Tensor names of the network's input and output in the file. */
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";

    /** The ONNX model of a network (weights as they are: an unstructured model keeps its zeros). */
    public static ModelProto model(Network net, String name) {
        Writer w = new Writer(net);
        for (Node n : net.graph().nodes()) {
            w.node(n);
        }
        Graph g = net.graph();
        GraphProto.Builder graph = w.graph.setName(name == null || name.isBlank() ? "otprune" : name)
                .addInput(value(INPUT, "batch", g.inChannels(), g.height(), g.width()))
                .addOutput(value(OUTPUT, "batch", g.classes()));
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("otprune")
                .setProducerVersion(String.valueOf(Versions.all().getOrDefault("project", "")))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(graph)
                .build();
    }

    /**
     * Writes {@code net} to {@code out} after checking it in ONNX Runtime (graph optimisations on) against the
     * network on {@code batches}: a file over the tolerance is deleted, never moved into place. {@code out} must
     * not exist unless {@code replace}.
     *
     * @return the check, passed
     * @throws IOException when the file cannot be written or fails the check (the message says by how much)
     */
    public static OnnxRuntimeCheck.Result export(Network net, String name, Path out, NDManager manager,
            List<OnnxRuntimeCheck.Batch> batches, boolean replace) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (!replace && Files.exists(target)) {
            throw new IOException(target + " exists (choose another file)");
        }
        if (Files.isDirectory(target)) {
            throw new IOException(target + " is a folder");
        }
        byte[] bytes = model(net, name).toByteArray();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            OnnxRuntimeCheck.Result check;
            try {
                check = OnnxRuntimeCheck.compare(tmp, net, manager, batches, true);
            } catch (OrtException e) {
                throw new IOException("ONNX Runtime cannot run the exported file: " + e.getMessage(), e);
            }
            if (!check.ok()) {
                throw new IOException(check.line() + ": over the tolerance, " + target.getFileName()
                        + " not written" + knownCause(net.graph()));
            }
            Files2.shareable(tmp);
            Files2.move(tmp, target);
            return check;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Exports a model folder to {@code out}, checked on random inputs and, where the model's data set loads here, on
     * its test images: what the CLI's {@code export} and the window's *Export ONNX…* both do.
     */
    public static OnnxRuntimeCheck.Result exportFolder(Path modelDir, Path out, boolean replace)
            throws IOException, ModelFormatException {
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            ModelStore.Loaded m = ModelStore.load(modelDir, manager);
            List<OnnxRuntimeCheck.Batch> batches = new java.util.ArrayList<>();
            batches.add(OnnxRuntimeCheck.random(m.info().graph(), 4, 1));
            OnnxRuntimeCheck.testImages(m.info(), 16).ifPresent(batches::add);
            return export(m.network(), m.info().name(), out, manager, batches, replace);
        }
    }

    /**
     * What ONNX Runtime is known to get wrong in a graph like this one: its Pad fusion (1.20) moves a zero Pad into
     * the next MaxPool, whose padding is -inf, so the result differs wherever a window holds only negative values
     * and padding. Exact after a ReLU; said here so that a refused export names the reason.
     */
    static String knownCause(Graph g) {
        for (Node n : g.nodes()) {
            if (n.op() instanceof Ops.MaxPool && g.has(n.input()) && g.node(n.input()).op() instanceof Ops.ZeroPad) {
                return " (likely cause: node " + n.input() + " zero-pads the input of max pool " + n.name()
                        + ", which ONNX Runtime fuses into the pool's -inf padding)";
            }
        }
        return "";
    }

    private static ValueInfoProto value(String name, String batch, int... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (int d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(OnnxConstant.FLOAT).setShape(shape))).build();
    }

    /** Writes the nodes of one network. */
    private static final class Writer {
        final GraphProto.Builder graph = GraphProto.newBuilder();
        final Network net;
        final Graph g;

        Writer(Network net) {
            this.net = net;
            this.g = net.graph();
        }

        /** The tensor name of a node's output. */
        String tensor(String node) {
            if (node.equals(g.output())) {
                return OUTPUT;
            }
            return node.equals(Graph.INPUT) ? INPUT : node.equals(OUTPUT) ? node + "_" : node;
        }

        /** The ONNX nodes of one graph node: the one table of the export direction. */
        void node(Node n) {
            Op op = n.op();
            String name = n.name();
            List<String> in = n.inputs().stream().map(this::tensor).toList();
            String out = tensor(name);
            if (op instanceof Ops.Conv c) {
                List<String> inputs = new ArrayList<>(List.of(in.get(0), weight(name, "weight")));
                if (c.bias()) {
                    inputs.add(weight(name, "bias"));
                }
                emit("Conv", name, inputs, out, ints("kernel_shape", c.kernel()), ints("strides", c.stride()),
                        ints("pads", pads(c.pad(), c.pad())), ints("dilations", c.dilation()), i("group", c.groups()));
            } else if (op instanceof Ops.Linear l) {
                List<String> inputs = new ArrayList<>(List.of(in.get(0), weight(name, "weight")));
                if (l.bias()) {
                    inputs.add(weight(name, "bias"));
                }
                emit("Gemm", name, inputs, out, f("alpha", 1f), f("beta", 1f), i("transB", 1));
            } else if (op instanceof Ops.BatchNorm b) {
                emit("BatchNormalization", name, List.of(in.get(0), weight(name, "gamma"), weight(name, "beta"),
                        weight(name, "runningMean"), weight(name, "runningVar")), out, f("epsilon", b.eps()),
                        f("momentum", 0.9f));
            } else if (op instanceof Ops.Relu) {
                emit("Relu", name, in, out);
            } else if (op instanceof Ops.Clip c) {
                // min and max are optional inputs: "" leaves one out, trailing ones are dropped
                List<String> inputs = new ArrayList<>(List.of(in.get(0),
                        Float.isInfinite(c.min()) ? "" : scalar(name + "/min", c.min()),
                        Float.isInfinite(c.max()) ? "" : scalar(name + "/max", c.max())));
                while (inputs.get(inputs.size() - 1).isEmpty()) {
                    inputs.remove(inputs.size() - 1);
                }
                emit("Clip", name, inputs, out);
            } else if (op instanceof Ops.Sigmoid) {
                emit("Sigmoid", name, in, out);
            } else if (op instanceof Ops.HardSigmoid h) {
                emit("HardSigmoid", name, in, out, f("alpha", h.alpha()), f("beta", h.beta()));
            } else if (op instanceof Ops.HardSwish) {
                // HardSwish is an operator from opset 14 on; at 13 it is x·HardSigmoid(x), as PyTorch writes it
                emit("HardSigmoid", name + "/hard_sigmoid", in, name + "/hard_sigmoid", f("alpha", 1f / 6),
                        f("beta", 0.5f));
                emit("Mul", name, List.of(in.get(0), name + "/hard_sigmoid"), out);
            } else if (op instanceof Ops.Silu) {
                emit("Sigmoid", name + "/sigmoid", in, name + "/sigmoid");
                emit("Mul", name, List.of(in.get(0), name + "/sigmoid"), out);
            } else if (op instanceof Ops.MaxPool p) {
                emit("MaxPool", name, in, out, ints("kernel_shape", p.kernel()), ints("strides", p.stride()),
                        ints("pads", pads(p.pad(), p.pad())), i("ceil_mode", p.ceil() ? 1 : 0));
            } else if (op instanceof Ops.AvgPool p) {
                avgPool(n, p, out);
            } else if (op instanceof Ops.GlobalAvgPool) {
                emit("GlobalAveragePool", name, in, out);
            } else if (op instanceof Ops.Add) {
                emit("Add", name, in, out);
            } else if (op instanceof Ops.Mul) {
                emit("Mul", name, in, out);
            } else if (op instanceof Ops.Concat) {
                emit("Concat", name, in, out, i("axis", 1));
            } else if (op instanceof Ops.Flatten) {
                emit("Flatten", name, in, out, i("axis", 1));
            } else if (op instanceof Ops.Unflatten) {
                String axes = longs(name + "/axes", new long[] {2, 3});
                emit("Unsqueeze", name, List.of(in.get(0), axes), out);
            } else if (op instanceof Ops.Identity) {
                emit("Identity", name, in, out);
            } else if (op instanceof Ops.ZeroPad z) {
                if (poolTakingPad(n) == null) {
                    String pads = longs(name + "/pads", new long[] {0, 0, z.top(), z.left(), 0, 0, z.bottom(),
                            z.right()});
                    emit("Pad", name, List.of(in.get(0), pads), out, s("mode", "constant"));
                }
            } else {
                throw new IllegalArgumentException("node " + name + ": no ONNX export for op " + op.type());
            }
        }

        /**
         * AveragePool with its padding as attributes, a ZeroPad in front taken in (count_include_pad=1): ONNX
         * Runtime 1.19–1.20 fuse a separate Pad into AveragePool ignoring count_include_pad (onnxruntime #22177).
         */
        private void avgPool(Node n, Ops.AvgPool p, String out) {
            String input = tensor(n.input());
            int[] begin = p.pad().clone();
            int[] end = p.pad().clone();
            boolean countPad = p.countPad();
            Node pad = g.has(n.input()) ? g.node(n.input()) : null;
            if (pad != null && poolTakingPad(pad) == n) {
                Ops.ZeroPad z = (Ops.ZeroPad) pad.op();
                begin = new int[] {begin[0] + z.top(), begin[1] + z.left()};
                end = new int[] {end[0] + z.bottom(), end[1] + z.right()};
                countPad = true;
                input = tensor(pad.input());
            }
            emit("AveragePool", n.name(), List.of(input), out, ints("kernel_shape", p.kernel()),
                    ints("strides", p.stride()), ints("pads", pads(begin, end)), i("ceil_mode", p.ceil() ? 1 : 0),
                    i("count_include_pad", countPad ? 1 : 0));
        }

        /** The AvgPool that takes this ZeroPad into its own pads (its only reader, counting pads), or null. */
        private Node poolTakingPad(Node pad) {
            if (!(pad.op() instanceof Ops.ZeroPad) || pad.name().equals(g.output())) {
                return null;
            }
            List<Node> readers = g.consumers(pad.name());
            if (readers.size() != 1 || !(readers.get(0).op() instanceof Ops.AvgPool p)) {
                return null;
            }
            boolean ownPads = p.pad()[0] != 0 || p.pad()[1] != 0;
            return !ownPads || p.countPad() ? readers.get(0) : null;
        }

        private static int[] pads(int[] begin, int[] end) {
            return new int[] {begin[0], begin[1], end[0], end[1]};
        }

        private void emit(String opType, String name, List<String> inputs, String output, AttributeProto... attrs) {
            graph.addNode(NodeProto.newBuilder().setOpType(opType).setName(name).addAllInput(inputs)
                    .addOutput(output).addAllAttribute(Arrays.asList(attrs)));
        }

        /** A parameter of a node as an initializer; returns its name. */
        private String weight(String node, String param) {
            Block b = net.block().blockOf(node);
            var array = b.getDirectParameters().get(param).getArray();
            String name = node + "." + param;
            graph.addInitializer(OnnxConstant.floatTensor(name, array.getShape().getShape(), array.toFloatArray()));
            return name;
        }

        private String scalar(String name, float v) {
            graph.addInitializer(OnnxConstant.floatTensor(name, new long[0], new float[] {v}));
            return name;
        }

        private String longs(String name, long[] v) {
            graph.addInitializer(OnnxConstant.longTensor(name, new long[] {v.length}, v));
            return name;
        }

        private static AttributeProto i(String name, long v) {
            return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
        }

        private static AttributeProto f(String name, float v) {
            return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v)
                    .build();
        }

        private static AttributeProto s(String name, String v) {
            return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                    .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
        }

        private static AttributeProto ints(String name, int[] v) {
            return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                    .addAllInts(Arrays.stream(v).asLongStream().boxed().toList()).build();
        }
    }
}
