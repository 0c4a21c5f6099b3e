package io.otprune.run;

/**
 * A training run as the CLI and the GUI describe it; written to run.json.
 *
 * @param model   an architecture id (trains from scratch) or a model folder (continues from its weights)
 * @param data    a data set id or IDX folder
 * @param device  auto, cpu or gpu
 */
public record TrainRunConfig(String model, String data, String optimizer, double learningRate, double momentum,
        double weightDecay, int epochs, int batchSize, long seed, String device, String command) {}
