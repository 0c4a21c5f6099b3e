package io.otprune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * DJL's SGD-with-momentum and Adam, step for step (the same native update calls with the same arguments, the same
 * update counting as {@link Optimizer#updateCount}), but with state a checkpoint can save and restore: per
 * parameter the momentum (SGD) or first and second moments (Adam), and the update counts the learning-rate schedule
 * and Adam's bias correction read. DJL's own {@code Sgd} and {@code Adam} keep these in private maps.
 *
 * <p>State is keyed by the caller's stable names (parameter ids change from one process to the next), given by
 * {@code names} (parameter id → name) when saving and restoring.
 */
public abstract class ResumableOptimizer extends Optimizer {
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private int numUpdate;
    /** Per parameter id, its state arrays (detached, freed by {@link #close}). */
    protected final Map<String, NDArray[]> states = new LinkedHashMap<>();
    /**
     * Per parameter id stepped on the host ({@link #hostStep}), its state and
     * shape; a parameter's state lives in {@link #states} or here, never in both.
     */
    protected final Map<String, HostState> hostStates = new LinkedHashMap<>();

    /** A host-stepped parameter's state arrays and the shape a checkpoint stores them with. */
    protected record HostState(float[][] arrays, Shape shape) {}

    private ResumableOptimizer(Builder b) {
        super(b);
    }

    /** SGD with momentum and weight decay, a learning rate from {@code lr}: DJL's {@code Sgd}. */
    public static ResumableOptimizer sgd(ParameterTracker lr, float momentum, float weightDecay) {
        return new Sgd(new Builder().optWeightDecays(weightDecay), lr, momentum);
    }

    /** Adam with DJL's defaults (β₁ 0.9, β₂ 0.999, ε 1e-8): DJL's {@code Adam}. */
    public static ResumableOptimizer adam(ParameterTracker lr, float weightDecay) {
        return new Adam(new Builder().optWeightDecays(weightDecay), lr, false);
    }

    /**
     * Adam whose second moment is one number per parameter tensor (the running mean of its squared gradient,
     * stored broadcast so checkpoints keep Adam's layout): the step of each element is its first moment over that
     * shared scale, so elements move in proportion to their gradients (β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay).
     */
    public static ResumableOptimizer adamSharedSecondMoment(ParameterTracker lr) {
        return new Adam(new Builder(), lr, true);
    }

    /** As {@link Optimizer#updateCount} with no begin offset: the largest per-parameter count so far. */
    @Override
    protected int updateCount(String parameterId) {
        int count = counts.merge(parameterId, 1, Integer::sum);
        numUpdate = Math.max(numUpdate, count);
        return numUpdate;
    }

    protected NDArray[] state(String id, NDArray weight, int n) {
        return states.computeIfAbsent(id, k -> {
            NDArray[] s = new NDArray[n];
            for (int i = 0; i < n; i++) {
                s[i] = weight.zerosLike();
                s[i].detach();
            }
            return s;
        });
    }

    /**
     * The same update as {@link #update(String, NDArray, NDArray)} on a host copy of the parameter, for a large
     * parameter on the CPU whose caller forms its gradient on the host: counts one update of {@code parameterId}
     * and returns the step to apply, in one pass where DJL's native Adam makes 12, 5 of them into fresh arrays.
     * {@code shape} is what a checkpoint stores the state with, so a run saved on one path resumes on the other.
     * {@code meanSquare} gives the mean of the gradient's squares, asked for only by an update that scales by it.
     * Adam without weight decay only.
     */
    public HostStep hostStep(String parameterId, Shape shape, java.util.function.DoubleSupplier meanSquare) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no host update");
    }

    /** One update of a host-stepped parameter. */
    @FunctionalInterface
    public interface HostStep {
        /**
         * Updates {@code weight[from, to)} in place with {@code grad[from, to)}, and leaves in {@code grad} the
         * change each weight took (what a caller that follows the weights reads, without another array).
         */
        void apply(float[] weight, float[] grad, int from, int to);
    }

    /**
     * The host state of {@code id}, created on first use from its tensor state where a checkpoint restored one,
     * else zeros; {@code lengths} per state array.
     */
    protected float[][] hostState(String id, Shape shape, int... lengths) {
        HostState h = hostStates.get(id);
        if (h != null) {
            return h.arrays();
        }
        float[][] a = new float[lengths.length][];
        NDArray[] restored = states.remove(id);
        for (int i = 0; i < a.length; i++) {
            a[i] = new float[lengths[i]];
            if (restored != null) {
                float[] v = restored[i].toFloatArray();
                System.arraycopy(v, 0, a[i], 0, lengths[i]);
            }
        }
        if (restored != null) {
            for (NDArray r : restored) {
                r.close();
            }
        }
        hostStates.put(id, new HostState(a, shape));
        return a;
    }

    /** A host state array as a checkpoint stores it: at the parameter's full size (a shared value broadcast). */
    protected float[] stored(float[] host, Shape shape) {
        if (host.length == shape.size()) {
            return host;
        }
        float[] full = new float[(int) shape.size()];
        java.util.Arrays.fill(full, host[0]);
        return full;
    }

    /** Writes the update counts and state arrays under {@code prefix}, naming parameters by {@code names}. */
    public void save(TrainState out, String prefix, Function<String, String> names) {
        out.put(prefix + "numUpdate", numUpdate);
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            out.put(prefix + "count." + names.apply(e.getKey()), e.getValue());
        }
        for (Map.Entry<String, NDArray[]> e : states.entrySet()) {
            for (int i = 0; i < e.getValue().length; i++) {
                out.put(prefix + "state" + i + "." + names.apply(e.getKey()), e.getValue()[i]);
            }
        }
        for (Map.Entry<String, HostState> e : hostStates.entrySet()) {
            float[][] a = e.getValue().arrays();
            for (int i = 0; i < a.length; i++) {
                out.put(prefix + "state" + i + "." + names.apply(e.getKey()), stored(a[i], e.getValue().shape()),
                        e.getValue().shape());
            }
        }
    }

    /**
     * Restores what {@link #save} wrote, for the parameters named in {@code ids} (name → current id), arrays in
     * {@code manager} (detached: this optimizer frees them).
     */
    public void restore(TrainState in, String prefix, Map<String, String> ids, NDManager manager) {
        numUpdate = in.getInt(prefix + "numUpdate");
        counts.clear();
        for (Map.Entry<String, String> e : ids.entrySet()) {
            if (in.has(prefix + "count." + e.getKey())) {
                counts.put(e.getValue(), in.getInt(prefix + "count." + e.getKey()));
            }
            if (in.has(prefix + "state0." + e.getKey())) {
                NDArray[] s = new NDArray[stateArrays()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = in.array(prefix + "state" + i + "." + e.getKey(), manager);
                    s[i].detach();
                }
                hostStates.remove(e.getValue()); // the next host update reads the restored arrays
                NDArray[] old = states.put(e.getValue(), s);
                if (old != null) {
                    for (NDArray a : old) {
                        a.close();
                    }
                }
            }
        }
    }

    /** State arrays per parameter: 1 (momentum) or 2 (Adam's moments). */
    protected abstract int stateArrays();

    /** Frees the state arrays. */
    public void close() {
        for (NDArray[] s : states.values()) {
            for (NDArray a : s) {
                a.close();
            }
        }
        states.clear();
        hostStates.clear();
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }

    private static final class Sgd extends ResumableOptimizer {
        private final ParameterTracker lr;
        private final float momentum;

        Sgd(Builder b, ParameterTracker lr, float momentum) {
            super(b);
            this.lr = lr;
            this.momentum = momentum;
        }

        @Override
        protected int stateArrays() {
            return 1;
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            float weightDecay = getWeightDecay();
            float learningRate = lr.getNewValue(parameterId, updateCount(parameterId));
            NDList inputs = momentum != 0f ? new NDList(weight, grad, state(parameterId, weight, 1)[0])
                    : new NDList(weight, grad);
            weight.getNDArrayInternal().sgdUpdate(inputs, new NDList(weight), learningRate, weightDecay, rescaleGrad,
                    clipGrad, momentum, true);
        }
    }

    private static final class Adam extends ResumableOptimizer {
        private static final float BETA1 = 0.9f, BETA2 = 0.999f, EPSILON = 1e-8f;
        private final ParameterTracker lr;
        private final boolean sharedSecondMoment;

        Adam(Builder b, ParameterTracker lr, boolean sharedSecondMoment) {
            super(b);
            this.lr = lr;
            this.sharedSecondMoment = sharedSecondMoment;
        }

        @Override
        protected int stateArrays() {
            return 2;
        }

        /** Counts an update of {@code parameterId}; returns {learning rate, learning rate × bias correction}. */
        private float[] rates(String parameterId) {
            int t = updateCount(parameterId);
            double coef1 = 1.0 - Math.pow(BETA1, t);
            double coef2 = 1.0 - Math.pow(BETA2, t);
            float newLearningRate = lr.getNewValue(parameterId, t);
            return new float[] {newLearningRate, (float) (newLearningRate * Math.sqrt(coef2) / coef1)};
        }

        /**
         * DJL's native Adam step (pytorch-engine's adamUpdate: mean·β₁ + (1 − β₁)·g, variance·β₂ + (1 − β₂)·g²,
         * weight − lr·bc·mean / (√variance + ε)) as a loop the JIT vectorises. Shared second moment: one variance
         * per parameter, moved by the mean of g².
         */
        @Override
        public HostStep hostStep(String parameterId, Shape shape, java.util.function.DoubleSupplier meanSquare) {
            if (getWeightDecay() != 0f) {
                throw new UnsupportedOperationException("the host update has no weight decay");
            }
            float step = rates(parameterId)[1];
            int n = (int) shape.size();
            float[][] s = hostState(parameterId, shape, n, sharedSecondMoment ? 1 : n);
            float[] mean = s[0];
            float[] variance = s[1];
            float b1 = BETA1, b2 = BETA2, c1 = 1f - BETA1, c2 = 1f - BETA2;
            if (sharedSecondMoment) {
                variance[0] = variance[0] * b2 + (float) meanSquare.getAsDouble() * c2;
                float scaled = step / ((float) Math.sqrt(variance[0]) + EPSILON);
                return (weight, grad, from, to) -> {
                    for (int i = from; i < to; i++) {
                        float m = mean[i] * b1 + grad[i] * c1;
                        mean[i] = m;
                        float w = weight[i];
                        float moved = w - m * scaled;
                        weight[i] = moved;
                        grad[i] = moved - w;
                    }
                };
            }
            return (weight, grad, from, to) -> {
                for (int i = from; i < to; i++) {
                    float g = grad[i];
                    float m = mean[i] * b1 + g * c1;
                    float v = variance[i] * b2 + g * g * c2;
                    mean[i] = m;
                    variance[i] = v;
                    float w = weight[i];
                    float moved = w - m * step / ((float) Math.sqrt(v) + EPSILON);
                    weight[i] = moved;
                    grad[i] = moved - w;
                }
            };
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            float[] rates = rates(parameterId);
            float newLearningRate = rates[0];
            float learningRateBiasCorrection = rates[1];
            if (sharedSecondMoment) {
                // off the autograd path (after the collector closed): Java numbers are safe here (engine trap 1 is
                // about recorded ops); every new array starts from the gradient, which lives in the step's manager
                NDArray[] s = state(parameterId, weight, 2);
                s[0].muli(BETA1).addi(grad.mul(1f - BETA1));
                s[1].muli(BETA2).addi(grad.square().mean().mul(1f - BETA2));
                NDArray scale = grad.zerosLike().add(s[1]).sqrt().add(EPSILON);
                weight.subi(grad.zerosLike().add(s[0]).div(scale).mul(learningRateBiasCorrection));
                return;
            }
            float weightDecay = getWeightDecay();
            NDArray[] s = state(parameterId, weight, 2);
            weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, s[0], s[1]), new NDList(weight),
                    newLearningRate, learningRateBiasCorrection, weightDecay, rescaleGrad, clipGrad, BETA1, BETA2,
                    EPSILON, true, false);
        }
    }
}
