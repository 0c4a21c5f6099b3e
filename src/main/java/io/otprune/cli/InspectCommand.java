package io.otprune.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.Device;
import io.otprune.model.ArchSpec;
import io.otprune.model.Architectures;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelInfo;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
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
                ArchSpec spec = Architectures.defaultSpec(model, 1, 28, 28, 10);
                net = Architectures.build(spec);
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
        ArchSpec s = net.spec();
        sb.append(String.format("architecture %s, widths %s, input %dx%dx%d, %d classes%n", s.id(), s.widths(),
                s.inChannels(), s.height(), s.width(), s.classes()));
        if (info != null) {
            sb.append(String.format("trained on %s, test accuracy %.2f%% (%d samples), seed %d%n", info.dataset(),
                    100 * info.testAccuracy(), info.testSamples(), info.seed()));
        }
        sb.append(String.format("%-16s %-6s %-12s %6s %12s %14s%n", "layer", "kind", "shape", "units", "params", "MACs"));
        for (PrunableLayer l : net.layers()) {
            String shape = l.kind() == PrunableLayer.Kind.CONV
                    ? l.inChannels() + "->" + l.outChannels() + " " + l.kernel() + "x" + l.kernel()
                    : l.inChannels() + "->" + l.outChannels();
            sb.append(String.format("%-16s %-6s %-12s %6d %,12d %,14d%n", l.name(), l.kind().name().toLowerCase(),
                    shape, l.outChannels(), l.params(), l.macs()));
        }
        sb.append(String.format("total: %,d parameters, %,d multiply-adds per sample, depth %d (conv/linear layers on "
                + "the longest path)", net.paramCount(), net.macs(), net.depth()));
        if (!s.removed().isEmpty()) {
            sb.append(String.format("%nremoved by compaction: %s", String.join(", ", s.removed())));
        }
        return sb.toString();
    }
}
