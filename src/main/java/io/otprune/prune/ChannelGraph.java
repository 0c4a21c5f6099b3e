package io.otprune.prune;

import ai.djl.nn.Block;
import io.otprune.model.ConvUnit;
import io.otprune.model.DenseUnit;
import io.otprune.model.Network;
import io.otprune.model.PrunableLayer;
import io.otprune.model.ResidualBlock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channel spaces of a network, traced from its structure: a space is a set of channels that must be pruned
 * together. Its producers are the layers whose output channels it is (several when residual additions tie them:
 * a stage's stem or shortcut and every block's second conv); its consumers the layers that read it. Tracing the
 * block sequence (plain layers, residual blocks, pooling) means a new residual architecture gets its coupled
 * groups without a table.
 */
public final class ChannelGraph {

    /** A layer reading a space; each channel of the space feeds {@code featuresPerChannel} of its inputs. */
    public record Consumer(PrunableLayer layer, int featuresPerChannel) {}

    /** Channels pruned together. */
    public static final class Space {
        private final List<PrunableLayer> producers = new ArrayList<>();
        private final List<Consumer> consumers = new ArrayList<>();
        private final int size;
        private final boolean prunable;

        Space(int size, boolean prunable) {
            this.size = size;
            this.prunable = prunable;
        }

        public List<PrunableLayer> producers() { return producers; }
        public List<Consumer> consumers() { return consumers; }
        public int size() { return size; }

        /** False for the input image and the classifier's outputs. */
        public boolean prunable() { return prunable; }

        public String name() {
            if (producers.isEmpty()) {
                return "input";
            }
            String first = producers.get(0).name();
            return producers.size() == 1 ? first : first + " (+" + (producers.size() - 1) + " coupled)";
        }
    }

    private final List<Space> spaces;
    private final Map<PrunableLayer, Space> in;
    private final Map<PrunableLayer, Space> out;
    private final Map<PrunableLayer, Integer> inFeaturesPerChannel;

    private ChannelGraph(List<Space> spaces, Map<PrunableLayer, Space> in, Map<PrunableLayer, Space> out,
            Map<PrunableLayer, Integer> fpc) {
        this.spaces = spaces;
        this.in = in;
        this.out = out;
        this.inFeaturesPerChannel = fpc;
    }

    /** All spaces in forward order, the input first. */
    public List<Space> spaces() {
        return spaces;
    }

    /** The spaces whose channels may be pruned. */
    public List<Space> prunableSpaces() {
        return spaces.stream().filter(Space::prunable).toList();
    }

    public Space inputOf(PrunableLayer l) {
        return in.get(l);
    }

    public Space outputOf(PrunableLayer l) {
        return out.get(l);
    }

    /** Input features of {@code l} per channel of its input space (H·W after a flatten, else 1). */
    public int featuresPerChannel(PrunableLayer l) {
        return inFeaturesPerChannel.get(l);
    }

    public static ChannelGraph trace(Network net) {
        List<Space> spaces = new ArrayList<>();
        Map<PrunableLayer, Space> in = new IdentityHashMap<>();
        Map<PrunableLayer, Space> out = new IdentityHashMap<>();
        Map<PrunableLayer, Integer> fpc = new IdentityHashMap<>();
        Space current = new Space(net.spec().inChannels(), false);
        spaces.add(current);
        for (Block child : net.block().getChildren().values()) {
            if (child instanceof ConvUnit || child instanceof DenseUnit) {
                PrunableLayer l = (PrunableLayer) child;
                current = consume(l, current, in, fpc);
                Space next = new Space(l.outChannels(), l.channelPrunable());
                next.producers.add(l);
                out.put(l, next);
                spaces.add(next);
                current = next;
            } else if (child instanceof ResidualBlock rb) {
                Space input = current;
                consume(rb.conv1(), input, in, fpc);
                Space inner = new Space(rb.conv1().outChannels(), true);
                inner.producers.add(rb.conv1());
                out.put(rb.conv1(), inner);
                spaces.add(inner);
                consume(rb.conv2(), inner, in, fpc);
                Space result;
                if (rb.shortcut() != null) {
                    consume(rb.shortcut(), input, in, fpc);
                    result = new Space(rb.conv2().outChannels(), true);
                    result.producers.add(rb.shortcut());
                    out.put(rb.shortcut(), result);
                    spaces.add(result);
                } else {
                    result = input; // identity shortcut: conv2 adds into the same channels
                }
                result.producers.add(rb.conv2());
                out.put(rb.conv2(), result);
                current = result;
            }
            // pooling keeps the channels; a dense consumer learns its features per channel from its width
        }
        return new ChannelGraph(spaces, in, out, fpc);
    }

    private static Space consume(PrunableLayer l, Space space, Map<PrunableLayer, Space> in,
            Map<PrunableLayer, Integer> fpc) {
        int features = l.inChannels();
        if (features % space.size() != 0) {
            throw new IllegalStateException(l.name() + " reads " + features + " features from a space of "
                    + space.size() + " channels");
        }
        int perChannel = features / space.size();
        space.consumers.add(new Consumer(l, perChannel));
        in.put(l, space);
        fpc.put(l, perChannel);
        return space;
    }

    /**
     * Exact parameter and multiply-add counts of the network with {@code kept[s]} channels in each space (spaces
     * not in the map keep all): what the compact model will have.
     */
    public long[] countWith(Map<Space, Integer> kept) {
        long params = 0, macs = 0;
        for (PrunableLayer l : out.keySet()) {
            long[] c = count(l, kept);
            params += c[0];
            macs += c[1];
        }
        return new long[] {params, macs};
    }

    /** Parameters and multiply-adds of one layer with the given channels kept. */
    public long[] count(PrunableLayer l, Map<Space, Integer> kept) {
        long o = kept.getOrDefault(out.get(l), out.get(l).size());
        long i = (long) kept.getOrDefault(in.get(l), in.get(l).size()) * inFeaturesPerChannel.get(l);
        long kk = (long) l.kernel() * l.kernel();
        long params = o * i * kk + (l.bias() != null ? o : 0) + (l.hasBatchNorm() ? 2 * o : 0);
        return new long[] {params, l.outputPositions() * o * i * kk};
    }
}
