package io.otprune.prune;

/**
 * The entropic temperature ε of the transport problems over the prune phase.
 *
 * <p>{@code auto} needs no schedule: it steers ε by the mask sharpness it measures. The target sharpness stays
 * at its starting value for the first 10% of the prune steps (the scores learn under a soft mask), then rises
 * linearly to 0.995 at 80%, and stays there. Each time sharpness is measured, ε shrinks by exp(−η) per step if the
 * masks are softer than the target, and holds otherwise: ε never rises, so the transport plan is never pushed back
 * towards softness (a controller that also raised ε oscillated, and each swing of ε shifted the kept mass away from
 * the budget for the single Sinkhorn iteration to catch up). η = 12 / (prune steps) lets ε
 * fall by up to e^8 ≈ 3000× over the ramp, whatever the model, data set or sparsity; how far it actually falls
 * is set by how the scores spread, which is why no per-model value is needed.
 *
 * <p>{@code schedule} is the usual exponential decay ε₀ → ε₀/1000, for comparison. Both change ε only on the
 * steps where sharpness is measured, where the engine also moves τ to follow the change.
 */
public final class Temperature {
    static final double TARGET_SHARPNESS = 0.995;
    /** Where the target sharpness starts to rise, as a fraction of the prune steps. */
    static final double RAMP_START = 0.1;
    /**
     * Where it reaches {@link #TARGET_SHARPNESS}: 0.8 by default. Experimental, for the ablation in
     * docs/benchmarks.md §12 (session 22): {@code -Dotprune.sharpnessRampEnd=0.5} hardens the masks earlier, while
     * the weights' learning rate (cosine over the prune phase) is still large enough to adapt to them.
     */
    static final double RAMP_END = rampEnd(System.getProperty("otprune.sharpnessRampEnd"));
    /** The default ramp's length, written as 0.7 exactly (0.8 − 0.1 is not), so default runs stay bit for bit. */
    private static final double DEFAULT_RAMP_LENGTH = 0.7;
    private static final double RAMP_LENGTH = RAMP_END == 0.8 ? DEFAULT_RAMP_LENGTH : RAMP_END - RAMP_START;

    private final PruneConfig.TemperatureMode mode;
    private final double eps0;
    private final int totalSteps;
    private final double eta;
    private double eps;
    private double startSharpness = Double.NaN;

    public Temperature(PruneConfig.TemperatureMode mode, double eps0, int totalSteps) {
        this.mode = mode;
        this.eps0 = eps0;
        this.totalSteps = Math.max(1, totalSteps);
        // ε may fall by up to e^8.4 over the ramp whatever its length (12 per prune phase over the default ramp)
        this.eta = 12.0 * (DEFAULT_RAMP_LENGTH / RAMP_LENGTH) / this.totalSteps;
        this.eps = eps0;
    }

    public double value() {
        return eps;
    }

    /** The sharpness auto mode started from (NaN before the first measurement): with ε, all that moves. */
    double startSharpness() {
        return startSharpness;
    }

    /** Puts the controller back where a checkpoint saw it. */
    void restore(double eps, double startSharpness) {
        this.eps = eps;
        this.startSharpness = startSharpness;
    }

    /** The sharpness auto mode aims at after {@code step} of the prune steps. */
    public double targetSharpness(int step) {
        double start = Double.isNaN(startSharpness) ? 0 : startSharpness;
        double f = ((double) step / totalSteps - RAMP_START) / RAMP_LENGTH;
        f = Math.min(1, Math.max(0, f));
        return start + (TARGET_SHARPNESS - start) * f;
    }

    /**
     * Moves ε after a step.
     *
     * @param step      prune steps done
     * @param sharpness measured sharpness of the current masks, or NaN if not measured this step
     * @param stepsSinceMeasure how many steps the measurement stands for (the controller's step is scaled by it)
     */
    public void update(int step, double sharpness, int stepsSinceMeasure) {
        if (Double.isNaN(sharpness)) {
            return; // ε moves only where sharpness is measured, so τ can follow each change
        }
        if (mode == PruneConfig.TemperatureMode.SCHEDULE) {
            eps = eps0 * Math.pow(1e-3, Math.min(1.0, (double) step / totalSteps));
            return;
        }
        if (Double.isNaN(startSharpness)) {
            startSharpness = Math.min(sharpness, TARGET_SHARPNESS);
        }
        if (sharpness < targetSharpness(step)) {
            eps *= Math.exp(-eta * stepsSinceMeasure);
        }
    }

    static double rampEnd(String property) {
        if (property == null || property.isBlank()) {
            return 0.8;
        }
        double end = Double.parseDouble(property.trim());
        if (!(end > RAMP_START && end <= 1)) {
            throw new IllegalArgumentException("otprune.sharpnessRampEnd must be in (" + RAMP_START + ", 1], got " + end);
        }
        return end;
    }
}
