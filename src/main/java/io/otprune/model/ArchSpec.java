package io.otprune.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What builds a network: the architecture id, its widths, the input shape, the number of classes, and what
 * compaction removed. Stored in model.json, so a pruned model is the same family with other widths or fewer layers.
 *
 * <p>Widths per architecture: {@code mlp-300-100}: hidden sizes [h1, h2]; {@code lenet5}: [conv1, conv2, fc1];
 * {@code vgg-small}: the six conv widths; {@code resnet20}: [stem/stage1, stage2, stage3] (the channels a stage's
 * residual additions tie together) followed by the nine blocks' inner widths.
 *
 * <p>{@code removed} names residual blocks whose branch was pruned away (depth pruning: the block is gone, a
 * projection block leaves its projection as a plain conv + BN + ReLU), and hidden layers folded into the next
 * linear layer because their ReLU was always on (activation-entropy collapse). Empty for a dense model; absent in
 * files written before it existed.
 */
public record ArchSpec(String id, List<Integer> widths, int inChannels, int height, int width, int classes,
        List<String> removed) {
    public ArchSpec {
        widths = List.copyOf(widths);
        removed = removed == null ? List.of() : List.copyOf(removed);
        for (int w : widths) {
            if (w <= 0) {
                throw new IllegalArgumentException(id + ": widths must be positive, got " + widths);
            }
        }
    }

    public ArchSpec(String id, List<Integer> widths, int inChannels, int height, int width, int classes) {
        this(id, widths, inChannels, height, width, classes, List.of());
    }

    public int inputSize() {
        return inChannels * height * width;
    }

    public boolean isRemoved(String name) {
        return removed.contains(name);
    }

    /** The same spec with other widths (what channel compaction changes). */
    public ArchSpec withWidths(List<Integer> newWidths) {
        return new ArchSpec(id, newWidths, inChannels, height, width, classes, removed);
    }

    /** The same spec with more blocks or layers removed. */
    public ArchSpec withRemoved(List<String> more) {
        List<String> all = new ArrayList<>(removed);
        for (String r : more) {
            if (!all.contains(r)) {
                all.add(r);
            }
        }
        return new ArchSpec(id, widths, inChannels, height, width, classes, all);
    }
}
