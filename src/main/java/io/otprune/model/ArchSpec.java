package io.otprune.model;

import java.util.List;

/**
 * What builds a network: the architecture id, its widths, the input shape and the number of classes. Stored in
 * model.json, so a pruned (narrower) model is the same family with other widths.
 *
 * <p>Widths per architecture: {@code mlp-300-100}: hidden sizes [h1, h2]; {@code lenet5}: [conv1, conv2, fc1];
 * {@code vgg-small}: the six conv widths; {@code resnet20}: [stem/stage1, stage2, stage3] (the channels a stage's
 * residual additions tie together) followed by the nine blocks' inner widths.
 */
public record ArchSpec(String id, List<Integer> widths, int inChannels, int height, int width, int classes) {
    public ArchSpec {
        widths = List.copyOf(widths);
        for (int w : widths) {
            if (w <= 0) {
                throw new IllegalArgumentException(id + ": widths must be positive, got " + widths);
            }
        }
    }

    public int inputSize() {
        return inChannels * height * width;
    }
}
