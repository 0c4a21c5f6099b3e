package io.otprune.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;
import java.util.Random;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Keeps CPU convolutions right on a machine where oneDNN computes some of them wrong, and keeps oneDNN's speed for the
 * shapes it computes right.
 *
 * <p>Why: on AMD EPYC Zen 5 (CPU family 26) PyTorch 2.7.1's oneDNN convolutions are wrong when the input has more than
 * 16 channels and not a multiple of 16 (lenet5's conv2: errors of 15–45 where outputs are about 20, and NaN now and
 * then), and their input gradients are wrong when the output's channel count is not a multiple of 16; the weight
 * gradients were right in every shape tried (docs/benchmarks.md §12, sessions 12 and 17). Networks whose widths are
 * multiples of 16 (vgg-small, resnet20 before compaction) are right, and there oneDNN's AVX-512 kernels train 2–3
 * times as fast as the SSE4.1 ones that {@code DNNL_MAX_CPU_ISA=SSE41} leaves (also right). A pruned network's odd
 * channel counts are where it goes wrong.
 *
 * <p>So the first CPU convolution of the process runs a machine check first: lenet5's conv2 shape against a plain
 * loop. Where it is right nothing else happens (one volatile read per convolution from then on). Where it is wrong
 * and oneDNN can be switched off in-process ({@link OneDnnSwitch}) with the loop then agreeing, each convolution shape
 * gets a route the first time it runs: as it is when its channel counts are multiples of 16, else with zero channels
 * added up to the next multiple of 16 (input channels only above 16), which gives the same output and gradients for a
 * little more work. The route is then checked on several random draws: forward, input and weight gradient with oneDNN
 * against the unpadded convolution with oneDNN off. A shape no route makes right turns oneDNN off for the rest of the
 * process. It is never turned back on, so a convolution on another thread can only move from oneDNN to the right
 * kernels, never the other way. Where the switch cannot be reached, {@link #problem()} says what to set, and the CLI
 * and the window show it.
 */
public final class ConvolutionGuard {
    /** Largest |difference| over the largest |value| that counts as the same result (faults give 0.1 and more). */
    private static final double TOLERANCE = 1e-3;
    /** How many random draws a route must be right on (the fault's input gradients were right on one draw in four). */
    private static final int DRAWS = 4;
    /** What to set where the guard cannot work, in the message and the docs. */
    public static final String FIX = "DNNL_MAX_CPU_ISA=SSE41";

    /** The machine check's verdict: not run yet, right, wrong and guarded, wrong and not guardable. */
    private enum Machine { UNCHECKED, RIGHT, GUARDED, UNGUARDED }

    private static volatile Machine machine = Machine.UNCHECKED;
    private static String machineProblem;
    private static volatile OneDnnSwitch oneDnn;
    private static volatile String turnedOff;
    private static final Map<Signature, Route> ROUTES = new ConcurrentHashMap<>();

    private ConvolutionGuard() {}

    /** One convolution shape: what selects oneDNN's kernel. */
    record Signature(long batchRows, long in, long out, long h, long w, long kh, long kw, Shape stride, Shape pad,
            Shape dilation, int groups) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d→%d channels, %dx%d kernel, %dx%d input, stride %s, groups %d", in,
                    out, kh, kw, h, w, stride, groups);
        }
    }

    /**
     * Null when this machine's CPU convolutions are right, or kept right by the guard; else what is wrong and what to
     * set. Runs the machine check if no convolution has yet (about 10 ms).
     */
    public static String problem() {
        checkMachine();
        return machine == Machine.UNGUARDED ? machineProblem : null;
    }

    /** For {@code --version} and the window: "right", how the guard keeps the results right, or what is wrong. */
    public static String summary() {
        String p = problem();
        if (p != null) {
            return p;
        }
        if (machine == Machine.RIGHT) {
            return "right";
        }
        String off = turnedOff;
        long padded = ROUTES.values().stream().filter(r -> !r.equals(DIRECT)).count();
        return "guarded: oneDNN computes some convolution shapes wrong on this CPU, so each shape is checked against "
                + "PyTorch's own kernels when it first runs, and padded to multiples of 16 channels where that is wrong"
                + (off == null ? String.format(Locale.ROOT, "; %d shapes checked so far, %d of them padded",
                        ROUTES.size(), padded) : "; " + off);
    }

    /** Null while every shape run so far was right with oneDNN (or the guard is not engaged), else why it is off. */
    public static String turnedOff() {
        return turnedOff;
    }

    /** Whether the guard is checking shapes (the machine has the fault and oneDNN can be switched). */
    public static boolean engaged() {
        checkMachine();
        return machine == Machine.GUARDED && oneDnn != null;
    }

    private static void checkMachine() {
        if (machine == Machine.UNCHECKED) {
            synchronized (ConvolutionGuard.class) {
                if (machine == Machine.UNCHECKED) {
                    machine = decideMachine();
                }
            }
        }
    }

    private static Machine decideMachine() {
        double error = onOwnThread(() -> errorAgainstLoop(false));
        if (error <= 1e-3) {
            return Machine.RIGHT;
        }
        OneDnnSwitch s = OneDnnSwitch.open();
        if (s != null) {
            boolean was = s.enabled();
            s.set(false);
            try {
                if (onOwnThread(() -> errorAgainstLoop(false)) <= 1e-3) {
                    oneDnn = s;
                    return Machine.GUARDED;
                }
            } finally {
                s.set(was);
            }
        }
        machineProblem = String.format(Locale.ROOT, "this CPU's PyTorch convolutions compute wrong values (largest "
                + "error %.3g in a 20-channel 5x5 test; a oneDNN fault seen on AMD EPYC Zen 5): results would be "
                + "garbage; start otprune with %s in the environment (slower, but right)", error, FIX);
        return Machine.UNGUARDED;
    }

    /**
     * Largest |error| of the engine's convolution of lenet5's conv2 shape (20 → 50 channels, 5 × 5, 12 × 12 maps)
     * against a plain loop in doubles; outputs are sums of 500 products of unit normals (about 22 in size), so float
     * rounding stays below 1e-3.
     */
    static double errorAgainstLoop(boolean throughGuard) {
        int n = 2, c = 20, k = 50, h = 12, r = 5, o = h - r + 1;
        Random rnd = new Random(1);
        float[] x = new float[n * c * h * h], w = new float[k * c * r * r];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        float[] y;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray xs = m.create(x, new Shape(n, c, h, h)), ws = m.create(w, new Shape(k, c, r, r));
            Shape one = new Shape(1, 1), zero = new Shape(0, 0);
            y = (throughGuard ? conv2d(xs, ws, null, one, zero, one, 1)
                    : Conv2d.conv2d(xs, ws, null, one, zero, one, 1).singletonOrThrow()).toFloatArray();
        }
        double worst = 0;
        for (int b = 0; b < n; b++) {
            for (int q = 0; q < k; q++) {
                for (int i = 0; i < o; i++) {
                    for (int j = 0; j < o; j++) {
                        double s = 0;
                        for (int p = 0; p < c; p++) {
                            for (int u = 0; u < r; u++) {
                                for (int v = 0; v < r; v++) {
                                    s += (double) x[((b * c + p) * h + i + u) * h + j + v]
                                            * w[((q * c + p) * r + u) * r + v];
                                }
                            }
                        }
                        float got = y[((b * k + q) * o + i) * o + j];
                        worst = Float.isFinite(got) ? Math.max(worst, Math.abs(s - got)) : Double.POSITIVE_INFINITY;
                    }
                }
            }
        }
        return worst;
    }

    /**
     * A convolution the way the guard wants it run: directly, or, where this machine's oneDNN computes the shape wrong,
     * with zero channels added to a count it computes right (the result and both gradients are the same; only the
     * work grows), or with oneDNN off where neither helps.
     */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape pad, Shape dilation,
            int groups) {
        Route r = route(x, weight, stride, pad, dilation, groups);
        return (r == null ? DIRECT : r).apply(x, weight, bias, stride, pad, dilation, groups);
    }

    /**
     * How a convolution runs: its input and output channel counts padded with zeros up to {@code in} and {@code out}
     * (the unpadded counts mean directly).
     */
    record Route(long in, long out) {
        NDArray apply(NDArray x, NDArray w, NDArray b, Shape stride, Shape pad, Shape dilation, int groups) {
            Shape xs = x.getShape(), ws = w.getShape();
            long addIn = in < 0 ? 0 : in - xs.get(1), addOut = out < 0 ? 0 : out - ws.get(0);
            NDManager m = x.getManager();
            if (addIn > 0) {
                x = x.concat(m.zeros(new Shape(xs.get(0), addIn, xs.get(2), xs.get(3)), x.getDataType()), 1);
                w = w.concat(m.zeros(new Shape(ws.get(0), addIn, ws.get(2), ws.get(3)), w.getDataType()), 1);
            }
            if (addOut > 0) {
                w = w.concat(m.zeros(new Shape(addOut, w.getShape().get(1), ws.get(2), ws.get(3)), w.getDataType()), 0);
                b = b == null ? null : b.concat(m.zeros(new Shape(addOut), b.getDataType()), 0);
            }
            NDArray y = Conv2d.conv2d(x, w, b, stride, pad, dilation, groups).singletonOrThrow();
            return addOut > 0 ? y.get(new NDIndex(":, 0:{}", ws.get(0))) : y;
        }
    }

    private static final Route DIRECT = new Route(-1, -1);

    /** The route of a CPU shape (checked the first time it is seen), or null: run it directly. */
    static Route route(NDArray x, NDArray weight, Shape stride, Shape pad, Shape dilation, int groups) {
        if (machine == Machine.RIGHT || turnedOff != null || !Device.Type.CPU.equals(x.getDevice().getDeviceType())) {
            return null;
        }
        checkMachine();
        if (machine != Machine.GUARDED) {
            return null;
        }
        Shape xs = x.getShape(), ws = weight.getShape();
        Signature sig = new Signature(Math.min(xs.get(0), 8), xs.get(1), ws.get(0), xs.get(2), xs.get(3), ws.get(2),
                ws.get(3), stride, pad, dilation, groups);
        Route r = ROUTES.get(sig);
        return r != null ? r : check(sig);
    }

    /** Multiples of 16 channels were right in every shape tried on the faulty machine. */
    private static long roundUp16(long c) {
        return (c + 15) / 16 * 16;
    }

    private static synchronized Route check(Signature sig) {
        if (turnedOff != null) {
            return null;
        }
        Route known = ROUTES.get(sig);
        if (known != null) {
            return known;
        }
        // Where the fault was found, every count that is a multiple of 16, and input counts up to 16, were right in
        // every trial, and the wrong ones are wrong only now and then for the input gradient (it reads memory it
        // should not: the same data gave right and wrong results in turn). So the route is chosen by that rule, not
        // by trying the shape as it is, and a route counts as right only if it is right on several draws.
        Set<Route> candidates = new LinkedHashSet<>();
        if (sig.groups() == 1) { // grouped convolutions cannot take extra channels this simply
            long out = sig.out() % 16 == 0 ? -1 : roundUp16(sig.out());
            candidates.add(new Route(sig.in() <= 16 || sig.in() % 16 == 0 ? -1 : roundUp16(sig.in()), out));
            candidates.add(new Route(sig.in() % 16 == 0 ? -1 : roundUp16(sig.in()), out));
        } else {
            candidates.add(DIRECT);
        }
        double first = Double.NaN;
        for (Route r : candidates) {
            double difference = 0;
            for (int draw = 0; draw < DRAWS && difference <= TOLERANCE; draw++) {
                long seed = 17 + draw;
                try {
                    difference = onOwnThread(() -> compare(sig, r, seed));
                } catch (RuntimeException e) {
                    difference = Double.POSITIVE_INFINITY; // could not tell: the safe side
                }
            }
            first = Double.isNaN(first) ? difference : first;
            if (difference <= TOLERANCE) {
                ROUTES.put(sig, r);
                return r;
            }
        }
        oneDnn.set(false);
        turnedOff = String.format(Locale.ROOT, "oneDNN's convolutions are turned off for this process: on this CPU they "
                + "compute a %s convolution wrong (relative error %.2g), also with its channels padded, so PyTorch's "
                + "own kernels run instead (right, slower)", sig, first);
        System.err.println("otprune: note: " + turnedOff);
        return null;
    }

    /**
     * Checks run on a thread of their own: PyTorch's gradient mode is per thread, and DJL allows one gradient
     * collector per process, which the caller's training step may hold.
     */
    private static double onOwnThread(DoubleSupplier check) {
        double[] result = {Double.NaN};
        RuntimeException[] failure = {null};
        Thread t = new Thread(() -> {
            try {
                result[0] = check.getAsDouble();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "otprune-convolution-check");
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // a cancelled run still waits for the check: it holds the oneDNN switch
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    /** The largest relative difference of a route with oneDNN from the direct convolution with oneDNN off. */
    private static double compare(Signature s, Route route, long seed) {
        boolean was = oneDnn.enabled();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            JniUtils.setGradMode(true);
            Random random = new Random(seed); // not the engine's generator: the run's own draws stay as they were
            NDArray x = gaussian(m, random, new Shape(s.batchRows(), s.in(), s.h(), s.w()));
            NDArray w = gaussian(m, random, new Shape(s.out(), s.in() / s.groups(), s.kh(), s.kw()));
            oneDnn.set(false);
            float[][] reference = run(x, w, s, DIRECT, null, random);
            oneDnn.set(true);
            float[][] got = run(x, w, s, route, reference[3], random);
            double worst = 0;
            for (int k = 0; k < 3; k++) {
                worst = Math.max(worst, relativeDifference(got[k], reference[k]));
            }
            return worst;
        } finally {
            oneDnn.set(was);
        }
    }

    private static NDArray gaussian(NDManager m, Random random, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return m.create(v, shape);
    }

    /** Output, input gradient and weight gradient for {@code sum(y * g)}, and g (drawn when null). */
    private static float[][] run(NDArray x0, NDArray w0, Signature s, Route route, float[] outGrad, Random random) {
        NDArray x = x0.duplicate(), w = w0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        NDArray y = route.apply(x, w, null, s.stride(), s.pad(), s.dilation(), s.groups());
        NDArray g = outGrad == null ? gaussian(x.getManager(), random, y.getShape())
                : x.getManager().create(outGrad, y.getShape());
        NDArray loss = y.mul(g).sum();
        JniUtils.backward((PtNDArray) loss, (PtNDArray) x.getManager().ones(loss.getShape()), false, false);
        return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray(), w.getGradient().toFloatArray(),
            g.toFloatArray()};
    }

    private static double relativeDifference(float[] a, float[] b) {
        double scale = 0, worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                return Double.POSITIVE_INFINITY;
            }
            scale = Math.max(scale, Math.abs(b[i]));
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return scale == 0 ? worst : worst / scale;
    }

    /**
     * Tests only: forget the shapes seen and turn oneDNN back on if the guard turned it off; then either guard every
     * shape (even on a machine without the fault) or leave the machine check to run again at the next convolution.
     */
    static synchronized void resetForTest(boolean guard) {
        ROUTES.clear();
        OneDnnSwitch s = oneDnn != null ? oneDnn : OneDnnSwitch.open();
        if (turnedOff != null && s != null) {
            s.set(true);
        }
        turnedOff = null;
        oneDnn = guard ? s : null;
        machine = guard ? Machine.GUARDED : Machine.UNCHECKED;
    }
}
