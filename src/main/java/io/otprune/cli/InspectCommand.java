package io.otprune.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.Device;
import io.otprune.model.Graph;
import io.otprune.model.Node;
import io.otprune.model.Ops;
import io.otprune.prune.DepthUnits;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import io.otprune.model.Architectures;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelInfo;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Layers, parameters and multiply-adds of a model folder or a zoo architecture.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model folder or architecture id.")
    String model;

    @Mixin
    Main.CommonOptions common;

    @Override
    public Integer call() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Network net;
            ModelInfo info = null;
            if (Files.isDirectory(Path.of(model))) {
                ModelStore.Loaded m = ModelStore.load(Path.of(model), manager);
                net = m.network();
                info = m.info();
            } else {
                net = new Network(Architectures.graph(model, 1, 28, 28, 10));
                net.initialize(manager);
            }
            System.out.println(render(net, info));
            return 0;
        } catch (ModelFormatException | IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static String render(Network net, ModelInfo info) {
        StringBuilder sb = new StringBuilder();
        Graph g = net.graph();
        sb.append(String.format("%s: input %dx%dx%d, %d classes, %d nodes%n", info == null ? "graph" : info.name(),
                g.inChannels(), g.height(), g.width(), g.classes(), g.nodes().size()));
        if (info != null && (info.dataset() == null || info.dataset().isBlank())) {
            sb.append(String.format("no data set (imported: %s), test accuracy not measured%n", info.trainingCommand()));
        } else if (info != null) {
            sb.append(String.format("trained on %s, test accuracy %.2f%% (%d samples), seed %d%n", info.dataset(),
                    100 * info.testAccuracy(), info.testSamples(), info.seed()));
        }
        sb.append(String.format("%-22s %-16s %-14s %12s %14s%n", "node", "op", "output", "params", "MACs"));
        for (Node n : g.nodes()) {
            long p = g.params(n), m = g.macs(n);
            if (p == 0 && m == 0) {
                continue; // activations, pooling, additions: no parameters, no multiply-adds
            }
            String op = n.op().type();
            if (n.op() instanceof Ops.Conv c) {
                op += " " + c.kernel()[0] + "x" + c.kernel()[1] + (c.stride()[0] > 1 ? "/" + c.stride()[0] : "")
                        + (c.depthwise() ? " dw" : c.groups() > 1 ? " g" + c.groups() : "");
            }
            sb.append(String.format("%-22s %-16s %-14s %,12d %,14d%n", n.name(), op,
                    Arrays.stream(g.shape(n.name())).mapToObj(String::valueOf).collect(Collectors.joining("x")), p, m));
        }
        sb.append(String.format("total: %,d parameters, %,d multiply-adds per sample, depth %d (conv/linear layers on "
                + "the longest path)", net.paramCount(), net.macs(), net.depth()));
        List<DepthUnits.Residual> blocks = DepthUnits.find(g);
        if (!blocks.isEmpty()) {
            sb.append(String.format("%nresidual blocks (depth units): %d (%s)", blocks.size(),
                    blocks.stream().map(DepthUnits.Residual::name).collect(Collectors.joining(", "))));
        }
        return sb.toString();
    }
}
