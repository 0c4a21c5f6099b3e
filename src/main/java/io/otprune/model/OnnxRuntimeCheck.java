package io.otprune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.otprune.train.GradMode;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs an ONNX file in ONNX Runtime next to the project's own forward pass (inference mode) on the same inputs,
 * and says how far apart the outputs are: what every export and import is checked with. A file passes when the
 * largest absolute difference is at most {@link #TOLERANCE} times max(1, the largest |logit|).
 */
public final class OnnxRuntimeCheck {
    private OnnxRuntimeCheck() {}

    public static final double TOLERANCE = 1e-4;

    /** The comparison: largest |difference|, the logits' scale, how many samples and what they were. */
    public record Result(double maxAbsDiff, double scale, int samples, String inputs) {
        public boolean ok() {
            return maxAbsDiff <= TOLERANCE * Math.max(1, scale);
        }

        /** The line the commands print. */
        public String line() {
            return String.format("onnxruntime max |diff| = %.3g (%d samples: %s; largest |logit| %.3g, tolerance %.0e "
                    + "x max(1, that))", maxAbsDiff, samples, inputs, scale, TOLERANCE);
        }
    }

    /** A batch of inputs, N×C×H×W values in C order, and what they are. */
    public record Batch(float[] values, int count, String what) {}

    /**
     * Up to {@code count} test images of the model's data set, normalised as the model expects, when that data set
     * loads here and has the model's input shape; empty otherwise (an imported model names none).
     */
    public static java.util.Optional<Batch> testImages(ModelInfo info, int count) {
        Graph g = info.graph();
        if (info.dataset() == null || info.dataset().isBlank() || info.normalization() == null
                || info.normalization().channels() != g.inChannels()) {
            return java.util.Optional.empty();
        }
        try {
            io.otprune.data.ImageSet test = io.otprune.data.Datasets.load(info.dataset(),
                    io.otprune.data.DataOptions.DEFAULTS.withShape(new io.otprune.data.ImageShape(g.inChannels(),
                            g.height(), g.width())), io.otprune.data.ReaderControl.NONE).test();
            if (test.count() == 0) {
                return java.util.Optional.empty();
            }
            int n = Math.min(count, test.count());
            float[][] tables = info.normalization().tables();
            int plane = g.height() * g.width();
            float[] x = new float[n * test.sampleBytes()];
            for (int i = 0; i < x.length; i++) {
                x[i] = tables[(i / plane) % g.inChannels()][test.images()[i] & 0xff];
            }
            return java.util.Optional.of(new Batch(x, n, n + " test images of " + info.dataset()));
        } catch (io.otprune.data.DatasetException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** Standard-normal inputs of the graph's shape, seeded. */
    public static Batch random(Graph g, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[count * g.inChannels() * g.height() * g.width()];
        for (int i = 0; i < x.length; i++) {
            double u1 = r.nextDouble(), u2 = r.nextDouble();
            x[i] = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        }
        return new Batch(x, count, count + " random N(0,1) inputs");
    }

    /**
     * Compares ONNX Runtime on {@code onnx} with {@code net} on {@code batches}. {@code optimize}: ONNX Runtime's
     * graph optimisations on (what users run) or off (the plain operator semantics, an oracle for imported files:
     * 1.19–1.20 fuse Pad into AveragePool wrongly).
     */
    public static Result compare(Path onnx, Network net, NDManager manager, List<Batch> batches, boolean optimize)
            throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(optimize ? OrtSession.SessionOptions.OptLevel.ALL_OPT
                    : OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(onnx.toString(), opts)) {
                double diff = 0, scale = 0;
                int samples = 0;
                StringBuilder what = new StringBuilder();
                for (Batch b : batches) {
                    float[] ours = forward(net, manager, b);
                    float[] theirs = run(session, net.graph(), b);
                    if (theirs.length != ours.length) {
                        throw new IllegalStateException("ONNX Runtime gives " + theirs.length + " values for "
                                + b.count() + " samples, the network " + ours.length);
                    }
                    for (int i = 0; i < ours.length; i++) {
                        diff = Math.max(diff, Math.abs((double) ours[i] - theirs[i]));
                        scale = Math.max(scale, Math.abs(ours[i]));
                        if (Float.isNaN(ours[i]) != Float.isNaN(theirs[i])) {
                            diff = Double.POSITIVE_INFINITY;
                        }
                    }
                    samples += b.count();
                    what.append(what.length() > 0 ? ", " : "").append(b.what());
                }
                return new Result(diff, scale, samples, what.toString());
            }
        }
    }

    /** The network's output for a batch, inference mode, flattened per sample. */
    public static float[] forward(Network net, NDManager manager, Batch b) {
        GradMode.offOnThisThread();
        Graph g = net.graph();
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(b.values(), new Shape(b.count(), g.inChannels(), g.height(), g.width()));
            return net.forward(new ParameterStore(m, false), x, false).toFloatArray();
        }
    }

    /** One run of an ONNX Runtime session on a batch; the first output, flattened. */
    public static float[] run(OrtSession session, Graph g, Batch b) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        String input = session.getInputNames().iterator().next();
        long[] shape = {b.count(), g.inChannels(), g.height(), g.width()};
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(b.values()), shape);
                OrtSession.Result r = session.run(Map.of(input, x))) {
            FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] y = new float[out.remaining()];
            out.get(y);
            return y;
        }
    }
}
