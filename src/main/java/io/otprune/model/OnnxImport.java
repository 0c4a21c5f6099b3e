package io.otprune.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OrtException;
import com.google.protobuf.InvalidProtocolBufferException;
import io.otprune.data.Normalization;
import io.otprune.util.Files2;
import io.otprune.util.Versions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX classifier into a {@link Graph} and its weights: the ONNX-to-graph direction of issue 14. The one
 * table of what each ONNX op becomes is {@link Reader#handlers}; constant subgraphs are folded first
 * ({@link OnnxFolding}), and what is left must be an op of that table, or the file is refused in one line naming the
 * op, the node and the opset, before anything is written.
 *
 * <p>Activations are tracked with their ONNX shape per sample next to the graph node that holds their values; a
 * reshape (Flatten, Reshape, Unsqueeze, Squeeze, ReduceMean without keepdims) only changes the ONNX shape, and the
 * graph gets a Flatten or an Unflatten node where a consumer needs the other form. A zero Pad is held back the same
 * way, so that a Conv or AveragePool that reads it takes it into its own padding (an uneven remainder becomes a
 * {@link Ops.ZeroPad}); any other reader gets the padded map.
 */
public final class OnnxImport {
    private OnnxImport() {}

    public static final int MIN_OPSET = 11;
    public static final int MAX_OPSET = 17;

    /** An imported network: its graph, the weights of each node with parameters, and where it came from. */
    public record Imported(String name, Graph graph, Map<String, Map<String, float[]>> weights, int opset,
            String producer, int fixedBatch) {

        /** The network with these weights, its parameters in {@code manager}. */
        public Network network(NDManager manager) {
            Network net = new Network(graph);
            net.initialize(manager);
            weights.forEach((node, params) -> {
                Block b = net.block().blockOf(node);
                params.forEach((p, values) -> {
                    Parameter param = b.getDirectParameters().get(p);
                    if (param.getArray().size() != values.length) {
                        throw new IllegalStateException(node + "." + p + ": " + values.length + " values for "
                                + param.getArray().getShape());
                    }
                    param.getArray().set(values);
                });
            });
            return net;
        }
    }

    /**
     * The normalisation written into imported models: an ONNX file does not record the preprocessing its inputs had,
     * so pixels are taken as x/255 (mean 0, std 1) until model.json says otherwise.
     */
    public static Normalization assumedNormalization(int channels) {
        double[] mean = new double[channels], std = new double[channels];
        java.util.Arrays.fill(std, 1);
        return new Normalization(mean, std);
    }

    /** An imported model folder: what was saved and the ONNX Runtime check of the original file against it. */
    public record Result(Imported imported, ModelInfo info, Path dir, OnnxRuntimeCheck.Result check) {}

    /**
     * Imports {@code file} into the model folder {@code dir} (absent or empty), named {@code name} (null: the
     * file's name). The graph is checked against ONNX Runtime running the original file (optimisations off: the
     * operators' own semantics) on random inputs before anything is written; nothing is written unless it passes.
     */
    public static Result importTo(Path file, Path dir, String name, NDManager manager)
            throws ModelFormatException, IOException {
        if (!Files2.isAbsentOrEmptyDir(dir)) {
            throw new IOException(dir + " exists and is not empty (choose another folder)");
        }
        Imported im = read(file);
        Network net = im.network(manager);
        int batch = im.fixedBatch() > 0 ? im.fixedBatch() : 2;
        OnnxRuntimeCheck.Result check;
        try {
            check = OnnxRuntimeCheck.compare(file, net, manager,
                    List.of(OnnxRuntimeCheck.random(im.graph(), batch, 1)), false);
        } catch (OrtException | RuntimeException e) {
            throw new ModelFormatException(file.getFileName() + ": ONNX Runtime cannot run it to check the import ("
                    + e.getMessage() + ")", e);
        }
        if (!check.ok()) {
            throw new ModelFormatException(file.getFileName() + ": the imported network differs from ONNX Runtime: "
                    + check.line());
        }
        String modelName = name != null && !name.isBlank() ? name : im.name();
        List<String> classes = java.util.stream.IntStream.range(0, im.graph().classes()).mapToObj(String::valueOf)
                .toList();
        ModelInfo info = ModelInfo.builder().name(modelName).network(im.graph()).classNames(classes).dataset(null)
                .normalization(assumedNormalization(im.graph().inChannels())).testAccuracy(Double.NaN).testSamples(0)
                .denseTestAccuracy(Double.NaN)
                .trainingCommand("otprune import " + file + " --out " + dir + (name != null ? " --name " + name : "")
                        + " (from " + (im.producer().isBlank() ? "an unnamed producer" : im.producer()) + ", opset "
                        + im.opset() + ")")
                .seed(0).versions(Versions.all()).createdAt(Instant.now().toString()).build();
        ModelInfo saved = ModelStore.save(dir, net, info, false);
        return new Result(im, saved, dir, check);
    }

    /** Reads and maps an ONNX file; throws ModelFormatException (one line, naming the file) if it cannot. */
    public static Imported read(Path file) throws ModelFormatException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return read(bytes, file);
    }

    static Imported read(byte[] bytes, Path file) throws ModelFormatException {
        String where = file.getFileName().toString();
        if (bytes.length == 0) {
            throw new ModelFormatException(where + ": empty file, not an ONNX model");
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(where + ": not an ONNX model, or truncated (" + e.getMessage() + ")", e);
        }
        // protobuf reads almost anything as some message: an ONNX model has a graph with nodes and an opset
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getOpsetImportCount() == 0) {
            throw new ModelFormatException(where + ": not an ONNX model (no graph, nodes or opset in it)");
        }
        int opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new ModelFormatException(where + ": opset " + (opset < 0 ? "(none for the ONNX domain)" : opset)
                    + " is not supported (opsets " + MIN_OPSET + " to " + MAX_OPSET + "; re-export with "
                    + "opset_version=13)");
        }
        String name = where.endsWith(".onnx") ? where.substring(0, where.length() - 5) : where;
        try {
            return new Reader(model.getGraph(), opset).read(name, model.getProducerName() + " "
                    + model.getProducerVersion());
        } catch (Refused | IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage(), e);
        }
    }

    /** Why a file cannot be imported, said once at the node where it shows. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** One mapping of one file: its constants, its activations and the graph written so far. */
    private static final class Reader {
        /** An activation: the graph node with its values, its ONNX shape per sample, and a zero pad not yet applied. */
        private record Act(String node, long[] shape, int[] pad) {
            Act(String node, long[] shape) {
                this(node, shape, null);
            }
        }

        private interface Handler {
            void map(int index, NodeProto n, OnnxAttributes a);
        }

        private final GraphProto g;
        private final int opset;
        private final Map<String, OnnxConstant> consts = new HashMap<>();
        private final Map<String, Act> acts = new HashMap<>();
        private final Map<String, Map<String, float[]>> weights = new LinkedHashMap<>();
        private final Set<String> names = new HashSet<>();
        private final Map<Act, String> padded = new IdentityHashMap<>();
        private final Map<Act, String> asMap = new IdentityHashMap<>();
        private final Map<Act, String> asVector = new IdentityHashMap<>();
        /** Nodes taken into another node (a bias Add into its MatMul, a gate into x·gate). */
        private final Set<Integer> absorbed = new HashSet<>();
        /** Mul nodes that are x·σ(x) or x·hardσ(x): the activation they are, and x. */
        private final Map<Integer, Fused> fusedMul = new HashMap<>();

        private record Fused(Op op, String input) {}
        private final Map<String, Handler> handlers = new HashMap<>();
        private List<NodeProto> nodes;
        private Map<String, List<Integer>> readers;
        private String graphOutput;
        private GraphBuilder gb;
        private int fixedBatch;

        Reader(GraphProto g, int opset) {
            this.g = g;
            this.opset = opset;
            // the one table: ONNX op → what the graph gets (constant-only nodes are folded before it is asked)
            handlers.put("Conv", this::conv);
            handlers.put("Gemm", this::gemm);
            handlers.put("MatMul", this::matMul);
            handlers.put("BatchNormalization", this::batchNorm);
            handlers.put("Relu", (i, n, a) -> elementwise(n, new Ops.Relu()));
            handlers.put("Clip", this::clip);
            handlers.put("Sigmoid", (i, n, a) -> gate(i, n, new Ops.Sigmoid(), new Ops.Silu()));
            handlers.put("HardSigmoid", this::hardSigmoid);
            handlers.put("HardSwish", (i, n, a) -> elementwise(n, new Ops.HardSwish()));
            handlers.put("Add", (i, n, a) -> join(i, n, new Ops.Add()));
            handlers.put("Mul", (i, n, a) -> join(i, n, new Ops.Mul()));
            handlers.put("Concat", this::concat);
            handlers.put("MaxPool", this::maxPool);
            handlers.put("AveragePool", this::avgPool);
            handlers.put("GlobalAveragePool", (i, n, a) -> globalAvgPool(n, true));
            handlers.put("ReduceMean", this::reduceMean);
            handlers.put("Flatten", this::flatten);
            handlers.put("Reshape", this::reshape);
            handlers.put("Unsqueeze", (i, n, a) -> reshaped(n, unsqueezed(n, a)));
            handlers.put("Squeeze", (i, n, a) -> reshaped(n, squeezed(n, a)));
            handlers.put("Identity", (i, n, a) -> acts.put(n.getOutput(0), act(n, 0)));
            handlers.put("Dropout", this::dropout);
            handlers.put("Cast", this::cast);
            handlers.put("Pad", this::pad);
            handlers.put("Shape", this::shape);
        }

        Imported read(String name, String producer) {
            for (TensorProto t : g.getInitializerList()) {
                try {
                    consts.put(t.getName(), OnnxConstant.read(t));
                } catch (IllegalArgumentException e) {
                    throw new Refused("initializer: " + e.getMessage());
                }
            }
            input();
            if (g.getOutputCount() != 1) {
                throw new Refused("the graph has " + g.getOutputCount() + " outputs (a classifier has one: the logits)");
            }
            graphOutput = g.getOutput(0).getName();
            nodes = liveNodes();
            readers = new HashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                for (String in : nodes.get(i).getInputList()) {
                    readers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                }
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (!absorbed.contains(i)) {
                    map(i, nodes.get(i));
                }
            }
            Act out = acts.get(graphOutput);
            if (out == null) {
                throw new Refused("the output '" + graphOutput + "' is " + (consts.containsKey(graphOutput)
                        ? "a constant" : "not computed by any node"));
            }
            String outNode = padded(out);
            if (gb.shape(outNode).length != 1) {
                // a feature map as output: the workbench's networks end in a vector of scores
                outNode = add(outNode + "/flatten", new Ops.Flatten(), outNode);
            }
            if (outNode.equals(Graph.INPUT)) {
                throw new Refused("the output is the input: nothing to import");
            }
            try {
                return new Imported(name, gb.build(outNode), weights, opset, producer.strip(), fixedBatch);
            } catch (IllegalArgumentException e) {
                throw new Refused(e.getMessage());
            }
        }

        /** The one input: N×C×H×W float, C, H and W fixed, the batch symbolic or fixed. */
        private void input() {
            Set<String> init = new HashSet<>(consts.keySet());
            List<ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !init.contains(v.getName())).toList();
            if (inputs.size() != 1) {
                throw new Refused("the graph has " + inputs.size() + " inputs (expected one image batch N×C×H×W)");
            }
            ValueInfoProto in = inputs.get(0);
            String bad = "input '" + in.getName() + "' must be N×C×H×W float";
            if (!in.getType().hasTensorType()) {
                throw new Refused(bad + ", it is not a tensor");
            }
            int elem = in.getType().getTensorType().getElemType();
            if (elem != OnnxConstant.FLOAT) {
                throw new Refused(bad + ", its elements are " + OnnxConstant.typeName(elem));
            }
            List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
            if (dims.size() != 4) {
                throw new Refused(bad + ", it has rank " + dims.size());
            }
            long[] chw = new long[3];
            for (int d = 1; d < 4; d++) {
                if (!dims.get(d).hasDimValue() || dims.get(d).getDimValue() <= 0) {
                    throw new Refused(bad + " with C, H and W fixed; dimension " + d + " is '"
                            + dims.get(d).getDimParam() + "'");
                }
                chw[d - 1] = dims.get(d).getDimValue();
            }
            fixedBatch = dims.get(0).hasDimValue() ? (int) dims.get(0).getDimValue() : 0;
            gb = new GraphBuilder((int) chw[0], (int) chw[1], (int) chw[2]);
            names.add(Graph.INPUT);
            acts.put(in.getName(), new Act(Graph.INPUT, chw));
        }

        /** The nodes the output depends on, in file order (nothing else is mapped, or refused). */
        private List<NodeProto> liveNodes() {
            Map<String, NodeProto> producer = new HashMap<>();
            for (NodeProto n : g.getNodeList()) {
                for (String o : n.getOutputList()) {
                    producer.put(o, n);
                }
            }
            Set<NodeProto> live = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            Deque<String> todo = new ArrayDeque<>(List.of(graphOutput));
            while (!todo.isEmpty()) {
                NodeProto n = producer.get(todo.pop());
                if (n != null && live.add(n)) {
                    todo.addAll(n.getInputList());
                }
            }
            return g.getNodeList().stream().filter(live::contains).toList();
        }

        // ---- dispatch ---------------------------------------------------------------------------------------------

        private void map(int i, NodeProto n) {
            String op = n.getOpType();
            if (fusedMul.containsKey(i)) {
                join(i, n, null); // x·gate(x): the gate was not mapped on its own
                return;
            }
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw unsupported(n, "domain " + n.getDomain());
            }
            if (n.getOutputCount() == 0) {
                throw unsupported(n, "no outputs");
            }
            List<OnnxConstant> in = new ArrayList<>();
            boolean allConstant = true;
            for (String name : n.getInputList()) {
                if (name.isEmpty()) {
                    in.add(null);
                } else if (consts.containsKey(name)) {
                    in.add(consts.get(name));
                } else if (acts.containsKey(name)) {
                    in.add(null);
                    allConstant = false;
                } else {
                    throw new Refused("node " + display(n) + " reads '" + name + "', which no earlier node defines");
                }
            }
            OnnxAttributes a = new OnnxAttributes(n);
            try {
                if (allConstant && OnnxFolding.OPS.contains(op)) {
                    consts.put(n.getOutput(0), OnnxFolding.fold(op, in, a, opset));
                    return;
                }
                Handler h = handlers.get(op);
                if (h == null) {
                    throw unsupported(n, null);
                }
                h.map(i, n, a);
            } catch (IllegalArgumentException e) {
                throw new Refused("node " + display(n) + " (" + op + "): " + e.getMessage());
            }
        }

        private Refused unsupported(NodeProto n, String detail) {
            return new Refused("unsupported op '" + n.getOpType() + "' at node " + display(n) + " (opset " + opset
                    + ")" + (detail == null ? "" : ": " + detail));
        }

        private static String display(NodeProto n) {
            return n.getName().isEmpty() ? "producing '" + (n.getOutputCount() > 0 ? n.getOutput(0) : "?") + "'"
                    : n.getName();
        }

        /** A graph node name for an ONNX node (its own name where it has one), unique in the graph. */
        private String nameFor(NodeProto n) {
            String base = n.getName().isEmpty() ? n.getOpType() + "_" + n.getOutput(0) : n.getName();
            String name = base;
            for (int k = 2; names.contains(name); k++) {
                name = base + "_" + k;
            }
            return name;
        }

        private String add(String name, Op op, String... inputs) {
            String unique = name;
            for (int k = 2; names.contains(unique); k++) {
                unique = name + "_" + k;
            }
            gb.add(unique, op, inputs);
            names.add(unique);
            return unique;
        }

        /** Adds the node for an ONNX node and makes it that node's (first) output. */
        private String emit(NodeProto n, Op op, String... inputs) {
            String node = add(nameFor(n), op, inputs);
            acts.put(n.getOutput(0), new Act(node, toLong(gb.shape(node))));
            return node;
        }

        private Act act(NodeProto n, int input) {
            if (input >= n.getInputCount() || n.getInput(input).isEmpty()) {
                throw unsupported(n, "input " + input + " missing");
            }
            Act a = acts.get(n.getInput(input));
            if (a == null) {
                throw unsupported(n, "input " + input + " ('" + n.getInput(input) + "') is a constant, "
                        + "where an activation is expected");
            }
            return a;
        }

        /** A constant input, or null when it is omitted; refused when it is computed from activations. */
        private OnnxConstant constant(NodeProto n, int input, String what) {
            if (input >= n.getInputCount() || n.getInput(input).isEmpty()) {
                return null;
            }
            OnnxConstant c = consts.get(n.getInput(input));
            if (c == null) {
                throw unsupported(n, what + " computed from activations (only constant " + what + " is supported)");
            }
            return c;
        }

        private OnnxConstant floats(NodeProto n, int input, String what) {
            OnnxConstant c = constant(n, input, what);
            if (c != null && !c.isFloat()) {
                throw unsupported(n, what + " of type " + OnnxConstant.typeName(c.type()));
            }
            return c;
        }

        private boolean onlyReader(String tensor, int reader) {
            List<Integer> r = readers.getOrDefault(tensor, List.of());
            return !tensor.equals(graphOutput) && r.size() == 1 && r.get(0) == reader;
        }

        // ---- materialising an activation in the form a consumer needs -------------------------------------------

        /** The node with the pending zero pad applied. */
        private String padded(Act a) {
            if (a.pad() == null) {
                return a.node();
            }
            return padded.computeIfAbsent(a, k -> add(k.node() + "/pad", new Ops.ZeroPad(k.pad()[0], k.pad()[1],
                    k.pad()[2], k.pad()[3]), k.node()));
        }

        /** The activation as a C×H×W map. */
        private String map(Act a, NodeProto at) {
            if (a.shape().length != 3) {
                throw unsupported(at, "an input of rank " + (a.shape().length + 1) + " where N×C×H×W is expected");
            }
            String node = padded(a);
            long[] s = toLong(gb.shape(node));
            if (Arrays.equals(s, a.shape())) {
                return node;
            }
            if (s.length == 1 && a.shape()[1] == 1 && a.shape()[2] == 1) {
                checkFeaturesAreChannels(node, at);
                return asMap.computeIfAbsent(a, k -> add(node + "/unflatten", new Ops.Unflatten(), node));
            }
            throw unsupported(at, "a reshape of " + Arrays.toString(s) + " to " + Arrays.toString(a.shape())
                    + " (only flattening reshapes are supported)");
        }

        /**
         * An Unflatten makes feature f channel f; that is what the channel tracing assumes, and it holds unless the
         * features are a spatial map's flattened positions (then pruning would mistake them for channels).
         */
        private void checkFeaturesAreChannels(String node, NodeProto at) {
            Map<String, Node> byName = new HashMap<>();
            Graph partial = gb.build(node);
            partial.nodes().forEach(x -> byName.put(x.name(), x));
            Node x = byName.get(node);
            while (x != null && x.op().channelFlow() == Op.ChannelFlow.PASS) {
                x = byName.get(x.input());
            }
            if (x != null && x.op() instanceof Ops.Flatten) {
                int[] s = partial.shape(x.input());
                if (s.length == 3 && s[1] * s[2] > 1) {
                    throw unsupported(at, "a reshape of flattened " + s[1] + "x" + s[2] + " maps into channels");
                }
            }
        }

        /** The activation as a vector of features (N×F in ONNX). */
        private String vector(Act a, NodeProto at) {
            if (a.shape().length != 1) {
                throw unsupported(at, "an input of rank " + (a.shape().length + 1) + " where N×F is expected");
            }
            String node = padded(a);
            if (gb.shape(node).length == 1) {
                return node;
            }
            return asVector.computeIfAbsent(a, k -> add(node + "/flatten", new Ops.Flatten(), node));
        }

        /** The activation as a map (rank 4 in ONNX) or a vector (rank 2), as its ONNX shape says. */
        private String mapOrVector(Act a, NodeProto at) {
            return switch (a.shape().length) {
                case 3 -> map(a, at);
                case 1 -> vector(a, at);
                default -> throw unsupported(at, "an input of rank " + (a.shape().length + 1));
            };
        }

        // ---- the handlers ---------------------------------------------------------------------------------------

        private void conv(int i, NodeProto n, OnnxAttributes a) {
            Act x = act(n, 0);
            OnnxConstant w = floats(n, 1, "weight");
            OnnxConstant b = floats(n, 2, "bias");
            if (w == null || w.rank() != 4) {
                throw unsupported(n, "only 2-D convolutions (a constant weight of rank 4)");
            }
            int out = (int) w.dims()[0];
            int group = (int) a.i("group", 1);
            int[] k = {(int) w.dims()[2], (int) w.dims()[3]};
            long[] ks = a.ints("kernel_shape", null);
            if (ks != null && (ks.length != 2 || ks[0] != k[0] || ks[1] != k[1])) {
                throw unsupported(n, "kernel_shape " + Arrays.toString(ks) + " differs from the weight's");
            }
            int[] stride = pair(n, a, "strides");
            int[] dilation = pair(n, a, "dilations");
            int[] effective = {dilation[0] * (k[0] - 1) + 1, dilation[1] * (k[1] - 1) + 1};
            Padding p = padding(n, a, x, effective, stride);
            String in = p.input();
            Ops.Conv op = new Ops.Conv(out, (int) w.dims()[1] * group, k, stride, p.even(), dilation, group, b != null);
            if (gb.channels(in) != op.in()) {
                throw new IllegalArgumentException("weight expects " + op.in() + " input channels, got "
                        + gb.channels(in));
            }
            if (b != null && b.size() != out) {
                throw new IllegalArgumentException("bias of " + b.size() + " values for " + out + " channels");
            }
            String node = emit(n, op, in);
            weights.put(node, params(w.floats(), b));
        }

        private static Map<String, float[]> params(float[] w, OnnxConstant b) {
            Map<String, float[]> m = new LinkedHashMap<>();
            m.put("weight", w);
            if (b != null) {
                m.put("bias", b.floats());
            }
            return m;
        }

        /** Even padding for the op, and the input with any uneven rest applied as a ZeroPad node. */
        private record Padding(String input, int[] even) {}

        /**
         * The padding of a conv or pool: its pads (or auto_pad) plus the pending zero pad of its input. The even
         * part goes to the op, the rest into a ZeroPad node in front of it. {@code window} is the effective kernel.
         */
        private Padding padding(NodeProto n, OnnxAttributes a, Act x, int[] window, int[] stride) {
            // a pending pad sits on a map of the unpadded shape (see pad()); otherwise the input as a map
            String node = x.pad() == null ? map(x, n) : x.node();
            int[] s = gb.shape(node);
            int[] pend = x.pad() == null ? new int[4] : x.pad();
            int[] begin = new int[2];
            int[] end = new int[2];
            String auto = a.s("auto_pad", "NOTSET");
            switch (auto) {
                case "NOTSET" -> {
                    long[] pads = a.ints("pads", new long[4]);
                    if (pads.length != 4) {
                        throw unsupported(n, "pads " + Arrays.toString(pads));
                    }
                    begin = new int[] {(int) pads[0], (int) pads[1]};
                    end = new int[] {(int) pads[2], (int) pads[3]};
                }
                case "VALID" -> { }
                case "SAME_UPPER", "SAME_LOWER" -> {
                    for (int d = 0; d < 2; d++) {
                        int side = s[1 + d] + pend[d] + pend[2 + d];
                        int total = Math.max(0, ((side + stride[d] - 1) / stride[d] - 1) * stride[d] + window[d] - side);
                        int small = total / 2;
                        begin[d] = auto.equals("SAME_UPPER") ? small : total - small;
                        end[d] = total - begin[d];
                    }
                }
                default -> throw unsupported(n, "auto_pad " + auto);
            }
            for (int d = 0; d < 2; d++) {
                if (begin[d] < 0 || end[d] < 0) {
                    throw unsupported(n, "negative pads");
                }
                begin[d] += pend[d];
                end[d] += pend[2 + d];
            }
            int[] even = {Math.min(begin[0], end[0]), Math.min(begin[1], end[1])};
            int top = begin[0] - even[0], left = begin[1] - even[1], bottom = end[0] - even[0];
            int right = end[1] - even[1];
            if (top + left + bottom + right > 0) {
                node = add(nameFor(n) + "/pad", new Ops.ZeroPad(top, left, bottom, right), node);
            }
            return new Padding(node, even);
        }

        private int[] pair(NodeProto n, OnnxAttributes a, String name) {
            long[] v = a.ints(name, new long[] {1, 1});
            if (v.length != 2 || v[0] <= 0 || v[1] <= 0) {
                throw unsupported(n, name + " " + Arrays.toString(v) + " (2-D only)");
            }
            return new int[] {(int) v[0], (int) v[1]};
        }

        private void gemm(int i, NodeProto n, OnnxAttributes a) {
            Act x = act(n, 0);
            OnnxConstant w = floats(n, 1, "weight");
            OnnxConstant c = floats(n, 2, "bias");
            if (a.i("transA", 0) != 0) {
                throw unsupported(n, "transA=1");
            }
            if (a.f("alpha", 1f) != 1f || (c != null && a.f("beta", 1f) != 1f)) {
                throw unsupported(n, "alpha " + a.f("alpha", 1f) + ", beta " + a.f("beta", 1f)
                        + " (only alpha = beta = 1)");
            }
            if (w == null || w.rank() != 2) {
                throw unsupported(n, "a weight that is not a constant matrix");
            }
            boolean transB = a.i("transB", 0) != 0;
            linear(n, x, transB ? w : transposed(w), c);
        }

        private void matMul(int i, NodeProto n, OnnxAttributes a) {
            Act x = act(n, 0);
            OnnxConstant w = floats(n, 1, "weight");
            if (w == null || w.rank() != 2) {
                throw unsupported(n, "a weight that is not a constant matrix");
            }
            // nn.Linear on a >2-D input is MatMul, then Add(bias, product): the bias joins the layer
            String product = n.getOutput(0);
            List<Integer> r = readers.getOrDefault(product, List.of());
            OnnxConstant bias = null;
            NodeProto add = r.size() == 1 && onlyReader(product, r.get(0)) ? nodes.get(r.get(0)) : null;
            if (add != null && add.getOpType().equals("Add") && add.getInputCount() == 2) {
                OnnxConstant c = consts.get(add.getInput(0).equals(product) ? add.getInput(1) : add.getInput(0));
                if (c != null && c.isFloat() && (c.size() == w.dims()[1] || c.size() == 1)) {
                    bias = c;
                }
            }
            linear(n, x, transposed(w), bias);
            if (bias != null) {
                absorbed.add(r.get(0));
                acts.put(add.getOutput(0), acts.get(product));
            }
        }

        /** A Linear node from an [out, in] weight and an optional bias (one value broadcasts). */
        private String linear(NodeProto n, Act x, OnnxConstant w, OnnxConstant bias) {
            String in = vector(x, n);
            int out = (int) w.dims()[0];
            int features = (int) w.dims()[1];
            if (gb.shape(in)[0] != features) {
                throw new IllegalArgumentException("weight expects " + features + " input features, got "
                        + gb.shape(in)[0]);
            }
            OnnxConstant b = bias;
            if (bias != null && bias.size() != out) {
                if (bias.size() != 1) {
                    throw new IllegalArgumentException("bias of " + bias.size() + " values for " + out + " outputs");
                }
                float[] f = new float[out];
                Arrays.fill(f, bias.floats()[0]);
                b = OnnxConstant.ofFloats(new long[] {out}, f);
            }
            String node = emit(n, new Ops.Linear(out, features, b != null), in);
            weights.put(node, params(w.floats(), b));
            return node;
        }

        private static OnnxConstant transposed(OnnxConstant m) {
            int rows = (int) m.dims()[0], cols = (int) m.dims()[1];
            float[] t = new float[m.size()];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    t[c * rows + r] = m.floats()[r * cols + c];
                }
            }
            return OnnxConstant.ofFloats(new long[] {cols, rows}, t);
        }

        private void batchNorm(int i, NodeProto n, OnnxAttributes a) {
            if (a.i("training_mode", 0) != 0 || n.getOutputList().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
                throw unsupported(n, "training mode (export an eval-mode model with "
                        + "training=torch.onnx.TrainingMode.PRESERVE, or let torch fold BN)");
            }
            Act x = act(n, 0);
            String[] what = {"scale", "B", "mean", "var"};
            float[][] v = new float[4][];
            for (int k = 0; k < 4; k++) {
                OnnxConstant c = floats(n, k + 1, what[k]);
                if (c == null) {
                    throw unsupported(n, what[k] + " missing");
                }
                v[k] = c.floats();
            }
            String in = mapOrVector(x, n);
            int channels = gb.shape(in)[0];
            for (float[] f : v) {
                if (f.length != channels) {
                    throw new IllegalArgumentException(f.length + " values for " + channels + " channels");
                }
            }
            String node = emit(n, new Ops.BatchNorm(channels, a.f("epsilon", 1e-5f)), in);
            acts.put(n.getOutput(0), new Act(node, x.shape()));
            Map<String, float[]> p = new LinkedHashMap<>();
            p.put("gamma", v[0]);
            p.put("beta", v[1]);
            p.put("runningMean", v[2]);
            p.put("runningVar", v[3]);
            weights.put(node, p);
        }

        /** An element-wise op: same values layout, same ONNX shape. */
        private void elementwise(NodeProto n, Op op) {
            Act x = act(n, 0);
            String node = add(nameFor(n), op, padded(x));
            acts.put(n.getOutput(0), new Act(node, x.shape()));
        }

        private void clip(int i, NodeProto n, OnnxAttributes a) {
            float min = a.f("min", Float.NEGATIVE_INFINITY);
            float max = a.f("max", Float.POSITIVE_INFINITY);
            OnnxConstant lo = constant(n, 1, "min");
            OnnxConstant hi = constant(n, 2, "max");
            if (lo != null) {
                min = (float) lo.scalar("min");
            }
            if (hi != null) {
                max = (float) hi.scalar("max");
            }
            elementwise(n, new Ops.Clip(min, max));
        }

        private void hardSigmoid(int i, NodeProto n, OnnxAttributes a) {
            float alpha = a.f("alpha", 0.2f);
            float beta = a.f("beta", 0.5f);
            Ops.HardSigmoid hs = new Ops.HardSigmoid(alpha, beta);
            boolean torchHardswish = Math.abs(alpha - 1f / 6) < 1e-6 && Math.abs(beta - 0.5f) < 1e-6;
            gate(i, n, hs, torchHardswish ? new Ops.HardSwish() : null);
        }

        /**
         * σ-like gates: x·σ(x) is SiLU and x·hardσ(x) (α = 1/6, β = 1/2) is HardSwish, one node each in the graph;
         * a gate read elsewhere (an SE gate multiplying another map) stays a node of its own.
         */
        private void gate(int i, NodeProto n, Op gate, Op fused) {
            String x = n.getInput(0);
            String y = n.getOutput(0);
            List<Integer> r = readers.getOrDefault(y, List.of());
            if (fused != null && r.size() == 1 && onlyReader(y, r.get(0))) {
                NodeProto mul = nodes.get(r.get(0));
                if (mul.getOpType().equals("Mul") && mul.getInputCount() == 2
                        && Set.of(mul.getInput(0), mul.getInput(1)).equals(Set.of(x, y)) && acts.containsKey(x)) {
                    fusedMul.put(r.get(0), new Fused(fused, x));
                    return;
                }
            }
            elementwise(n, gate);
        }

        /** Add and Mul of two activations (residual sums, SE gating); x·σ(x) patterns become one node. */
        private void join(int i, NodeProto n, Op op) {
            Fused f = fusedMul.get(i);
            if (f != null) {
                Act a = acts.get(f.input());
                String node = add(nameFor(n), f.op(), padded(a));
                acts.put(n.getOutput(0), new Act(node, a.shape()));
                return;
            }
            if (n.getInputCount() != 2) {
                throw unsupported(n, n.getInputCount() + " inputs");
            }
            for (int k = 0; k < 2; k++) {
                if (consts.containsKey(n.getInput(k))) {
                    throw unsupported(n, "a constant operand ('" + n.getInput(k) + "'); only activations are "
                            + "added or multiplied");
                }
            }
            Act x = act(n, 0);
            Act y = act(n, 1);
            if (x.shape().length != y.shape().length) {
                throw unsupported(n, "inputs of rank " + (x.shape().length + 1) + " and " + (y.shape().length + 1));
            }
            String node = add(nameFor(n), op, mapOrVector(x, n), mapOrVector(y, n));
            acts.put(n.getOutput(0), new Act(node, toLong(gb.shape(node))));
        }

        private void concat(int i, NodeProto n, OnnxAttributes a) {
            List<Act> in = new ArrayList<>();
            for (int k = 0; k < n.getInputCount(); k++) {
                in.add(act(n, k));
            }
            int rank = in.get(0).shape().length + 1;
            long axis = a.i("axis", 1);
            if ((axis < 0 ? axis + rank : axis) != 1) {
                throw unsupported(n, "axis " + axis + " (only channels, axis 1)");
            }
            List<String> names = new ArrayList<>();
            for (Act x : in) {
                if (x.shape().length + 1 != rank) {
                    throw unsupported(n, "inputs of different rank");
                }
                names.add(mapOrVector(x, n));
            }
            emit(n, new Ops.Concat(), names.toArray(String[]::new));
        }

        private void maxPool(int i, NodeProto n, OnnxAttributes a) {
            if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && readers.containsKey(n.getOutput(1))) {
                throw unsupported(n, "its indices output is used");
            }
            Pool p = pool(n, a);
            if (p.dilated) {
                throw unsupported(n, "dilations");
            }
            Act x = act(n, 0);
            String in = map(x, n);
            int[] pad = evenPads(n, a, p.kernel, "MaxPool pads -inf, so its padding cannot be split off");
            emit(n, new Ops.MaxPool(p.kernel, p.stride, pad, p.ceil), in);
        }

        private void avgPool(int i, NodeProto n, OnnxAttributes a) {
            Pool p = pool(n, a);
            if (p.dilated) {
                throw unsupported(n, "dilations");
            }
            boolean countPad = a.i("count_include_pad", 0) != 0;
            Act x = act(n, 0);
            long[] own = a.ints("pads", new long[4]);
            boolean ownPadding = Arrays.stream(own).anyMatch(v -> v != 0) || !a.s("auto_pad", "NOTSET").equals("NOTSET");
            if (x.pad() != null && ownPadding && !countPad) {
                // the pending zeros are values to average, the pool's own padding is not: keep them apart
                x = new Act(padded(x), x.shape());
            }
            boolean zerosCount = countPad || x.pad() != null;
            if (!zerosCount) {
                String in = map(x, n);
                int[] pad = evenPads(n, a, p.kernel, "uneven padding that is not averaged (count_include_pad=0)");
                emit(n, new Ops.AvgPool(p.kernel, p.stride, pad, p.ceil, false), in);
                return;
            }
            Padding pd = padding(n, a, x, p.kernel, p.stride);
            int[] even = pd.even().clone();
            String in = pd.input();
            // PyTorch's pooling takes at most half the kernel as padding; any more becomes explicit zeros
            int[] extra = {Math.max(0, even[0] - p.kernel[0] / 2), Math.max(0, even[1] - p.kernel[1] / 2)};
            if (extra[0] + extra[1] > 0) {
                even[0] -= extra[0];
                even[1] -= extra[1];
                in = add(nameFor(n) + "/pad", new Ops.ZeroPad(extra[0], extra[1], extra[0], extra[1]), in);
            }
            emit(n, new Ops.AvgPool(p.kernel, p.stride, even, p.ceil, true), in);
        }

        private record Pool(int[] kernel, int[] stride, boolean ceil, boolean dilated) {}

        private Pool pool(NodeProto n, OnnxAttributes a) {
            long[] k = a.ints("kernel_shape", null);
            if (k == null || k.length != 2) {
                throw unsupported(n, "kernel_shape " + Arrays.toString(k) + " (2-D only)");
            }
            int[] kernel = {(int) k[0], (int) k[1]};
            long[] d = a.ints("dilations", new long[] {1, 1});
            return new Pool(kernel, pair(n, a, "strides"), a.i("ceil_mode", 0) != 0,
                    Arrays.stream(d).anyMatch(v -> v != 1));
        }

        /** A pool's own pads, which must be even and at most half the kernel (what PyTorch's pooling takes). */
        private int[] evenPads(NodeProto n, OnnxAttributes a, int[] kernel, String why) {
            if (!a.s("auto_pad", "NOTSET").equals("NOTSET") && !a.s("auto_pad", "").equals("VALID")) {
                throw unsupported(n, "auto_pad " + a.s("auto_pad", ""));
            }
            long[] pads = a.ints("pads", new long[4]);
            if (pads.length != 4 || pads[0] != pads[2] || pads[1] != pads[3]) {
                throw unsupported(n, "pads " + Arrays.toString(pads) + ": " + why);
            }
            if (pads[0] > kernel[0] / 2 || pads[1] > kernel[1] / 2 || pads[0] < 0 || pads[1] < 0) {
                throw unsupported(n, "pads " + Arrays.toString(pads) + " (at most half the kernel)");
            }
            return new int[] {(int) pads[0], (int) pads[1]};
        }

        private void globalAvgPool(NodeProto n, boolean keepDims) {
            Act x = act(n, 0);
            String node = add(nameFor(n), new Ops.GlobalAvgPool(), map(x, n));
            int c = gb.shape(node)[0];
            acts.put(n.getOutput(0), new Act(node, keepDims ? new long[] {c, 1, 1} : new long[] {c}));
        }

        private void reduceMean(int i, NodeProto n, OnnxAttributes a) {
            Act x = act(n, 0);
            long[] axes = a.ints("axes", null);
            int rank = x.shape().length + 1;
            Set<Long> norm = new HashSet<>();
            if (axes != null) {
                for (long ax : axes) {
                    norm.add(ax < 0 ? ax + rank : ax);
                }
            }
            if (rank != 4 || !norm.equals(Set.of(2L, 3L))) {
                throw unsupported(n, "axes " + Arrays.toString(axes) + " of a rank-" + rank
                        + " input (only the mean over H and W, axes [2, 3])");
            }
            globalAvgPool(n, a.i("keepdims", 1) != 0);
        }

        private void flatten(int i, NodeProto n, OnnxAttributes a) {
            Act x = act(n, 0);
            int rank = x.shape().length + 1;
            long axis = a.i("axis", 1);
            if ((axis < 0 ? axis + rank : axis) != 1) {
                throw unsupported(n, "axis " + axis + " (only axis 1: N×features)");
            }
            reshaped(n, new long[] {OnnxConstant.size(x.shape())});
        }

        /** The input's values under a new ONNX shape per sample (checked where a consumer reads it). */
        private void reshaped(NodeProto n, long[] shape) {
            Act x = act(n, 0);
            acts.put(n.getOutput(0), new Act(x.node(), shape, x.pad()));
        }

        private void reshape(int i, NodeProto n, OnnxAttributes a) {
            Act x = act(n, 0);
            OnnxConstant s = constant(n, 1, "shape");
            if (s == null) {
                throw unsupported(n, "no shape");
            }
            long[] t = s.asLongs("shape").clone();
            boolean allowZero = a.i("allowzero", 0) != 0;
            if (t.length < 2) {
                throw unsupported(n, "a target shape " + Arrays.toString(t) + " without a batch dimension");
            }
            long first = t[0];
            boolean batchFirst = first == OnnxConstant.BATCH || (first == 0 && !allowZero)
                    || (fixedBatch > 0 && first == fixedBatch);
            long[] rest = Arrays.copyOfRange(t, 1, t.length);
            long count = OnnxConstant.size(x.shape());
            for (int k = 0; k < rest.length; k++) {
                if (rest[k] == OnnxConstant.BATCH) {
                    throw unsupported(n, "the batch size moved out of the first dimension");
                }
                if (rest[k] == 0 && !allowZero) {
                    if (k + 1 >= x.shape().length + 1) {
                        throw unsupported(n, "target shape " + shapeText(t));
                    }
                    rest[k] = x.shape()[k];
                }
            }
            if (!batchFirst) {
                boolean restKnown = Arrays.stream(rest).allMatch(v -> v > 0);
                if (first != -1 || !restKnown || OnnxConstant.size(rest) != count) {
                    throw unsupported(n, "target shape " + shapeText(t) + " mixes the batch into other dimensions");
                }
            }
            long[] target;
            try {
                target = OnnxFolding.reshape(x.shape(), rest, true);
            } catch (IllegalArgumentException e) {
                throw unsupported(n, "target shape " + shapeText(t) + " does not fit " + Arrays.toString(x.shape()));
            }
            reshaped(n, target);
        }

        private static String shapeText(long[] t) {
            StringBuilder sb = new StringBuilder("[");
            for (int k = 0; k < t.length; k++) {
                sb.append(k > 0 ? ", " : "").append(t[k] == OnnxConstant.BATCH ? "N" : String.valueOf(t[k]));
            }
            return sb.append(']').toString();
        }

        private long[] unsqueezed(NodeProto n, OnnxAttributes a) {
            Act x = act(n, 0);
            long[] full = withBatch(x.shape());
            long[] out = OnnxFolding.unsqueezed(full, OnnxFolding.axesOf(inputs(n), a, opset));
            if (out[0] != OnnxConstant.BATCH) {
                throw unsupported(n, "a new axis in front of the batch");
            }
            return Arrays.copyOfRange(out, 1, out.length);
        }

        private long[] squeezed(NodeProto n, OnnxAttributes a) {
            Act x = act(n, 0);
            long[] full = withBatch(x.shape());
            long[] out = OnnxFolding.squeezed(full, OnnxFolding.axesOf(inputs(n), a, opset));
            if (out.length == 0 || out[0] != OnnxConstant.BATCH) {
                throw unsupported(n, "the batch axis squeezed");
            }
            return Arrays.copyOfRange(out, 1, out.length);
        }

        /** The constant inputs of a node (null for activations and omitted ones). */
        private List<OnnxConstant> inputs(NodeProto n) {
            List<OnnxConstant> in = new ArrayList<>();
            for (String s : n.getInputList()) {
                in.add(consts.get(s));
            }
            return in;
        }

        private static long[] withBatch(long[] shape) {
            long[] full = new long[shape.length + 1];
            full[0] = OnnxConstant.BATCH;
            System.arraycopy(shape, 0, full, 1, shape.length);
            return full;
        }

        private void dropout(int i, NodeProto n, OnnxAttributes a) {
            if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() && readers.containsKey(n.getOutput(1))) {
                throw unsupported(n, "its mask output is used");
            }
            OnnxConstant training = constant(n, 2, "training_mode");
            if (training != null && training.scalar("training_mode") != 0) {
                throw unsupported(n, "training_mode=1");
            }
            acts.put(n.getOutput(0), act(n, 0)); // inference: dropout passes its input on
        }

        private void cast(int i, NodeProto n, OnnxAttributes a) {
            long to = a.i("to", 0);
            if (to != OnnxConstant.FLOAT) {
                throw unsupported(n, "a cast of activations to " + OnnxConstant.typeName((int) to));
            }
            acts.put(n.getOutput(0), act(n, 0));
        }

        private void pad(int i, NodeProto n, OnnxAttributes a) {
            Act x = act(n, 0);
            String mode = a.s("mode", "constant");
            if (!mode.equals("constant")) {
                throw unsupported(n, "mode " + mode + " (only zero padding)");
            }
            OnnxConstant pads = constant(n, 1, "pads");
            OnnxConstant value = constant(n, 2, "constant_value");
            if (pads == null || value != null && value.scalar("constant_value") != 0) {
                throw unsupported(n, pads == null ? "no pads" : "padding with " + value.scalar("constant_value")
                        + " (only zero padding)");
            }
            if (n.getInputCount() > 3 && !n.getInput(3).isEmpty()) {
                throw unsupported(n, "axes input");
            }
            long[] p = pads.asLongs("pads");
            if (x.shape().length != 3 || p.length != 8) {
                throw unsupported(n, "pads " + Arrays.toString(p) + " of a rank-" + (x.shape().length + 1) + " input");
            }
            if (p[0] != 0 || p[1] != 0 || p[4] != 0 || p[5] != 0) {
                throw unsupported(n, "pads on the batch or channel axis " + Arrays.toString(p));
            }
            if (Arrays.stream(p).anyMatch(v -> v < 0)) {
                throw unsupported(n, "negative pads (cropping) " + Arrays.toString(p));
            }
            int[] pend = {(int) p[2], (int) p[3], (int) p[6], (int) p[7]};
            String node = map(x, n);
            long[] shape = {x.shape()[0], x.shape()[1] + pend[0] + pend[2], x.shape()[2] + pend[1] + pend[3]};
            acts.put(n.getOutput(0), new Act(node, shape, Arrays.stream(pend).sum() == 0 ? null : pend));
        }

        private void shape(int i, NodeProto n, OnnxAttributes a) {
            Act x = act(n, 0);
            consts.put(n.getOutput(0), OnnxFolding.shape(withBatch(x.shape()), a));
        }

        private static long[] toLong(int[] s) {
            return Arrays.stream(s).asLongStream().toArray();
        }
    }
}
