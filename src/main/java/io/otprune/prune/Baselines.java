package io.otprune.prune;

import ai.djl.ndarray.NDManager;
import io.otprune.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The comparison methods, in the same engine: one-shot magnitude, gradual magnitude (GMP), random. */
public final class Baselines {
    private Baselines() {}

    /** Magnitude criterion of every set (|w|, or a channel's L2 norm): global magnitude ranking when global. */
    public static List<float[]> magnitudes(List<UnitSet> sets) {
        List<float[]> out = new ArrayList<>();
        for (UnitSet u : sets) {
            out.add(u.magnitudes());
        }
        return out;
    }

    /** Uniform random scores from a seed. */
    public static List<float[]> random(List<UnitSet> sets, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<float[]> out = new ArrayList<>();
        for (UnitSet u : sets) {
            float[] s = new float[u.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) r.nextDouble();
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Gradual magnitude pruning (Zhu &amp; Gupta 2017): sparsity s_t = S·(1 − (1 − t/T)³) over the prune steps,
     * masks recomputed from current magnitudes 20 times over the phase (and at its end, exactly at S), pruned
     * weights held at zero after every step.
     */
    public static final class Gmp implements TrainingLoop.StepHook, TrainingLoop.Resumable {
        private final PruneUnits units;
        private final List<UnitSet> sets;
        private final PruneConfig config;
        private final NDManager manager;
        private final int totalSteps;
        private final int every;
        private HardMasks masks;

        public Gmp(PruneUnits units, PruneConfig config, NDManager manager, int totalSteps) {
            this.units = units;
            this.sets = units.sets();
            this.config = config;
            this.manager = manager;
            this.totalSteps = Math.max(1, totalSteps);
            this.every = Math.max(1, this.totalSteps / 20);
        }

        public static double sparsityAt(double target, int step, int total) {
            double f = Math.min(1.0, (double) step / total);
            return target * (1 - Math.pow(1 - f, 3));
        }

        @Override
        public void afterUpdate(NDManager step, int globalStep) {
            int done = globalStep + 1;
            if (done % every == 0 || done == totalSteps) {
                double s = sparsityAt(config.sparsity(), done, totalSteps);
                List<Problem> ps = Problems.build(sets, config.budget(), config.scope(), 1 - s);
                boolean[][] keep = units.select(ps, magnitudes(sets), config, 1 - s);
                if (masks != null) {
                    masks.close();
                }
                masks = new HardMasks(sets, keep, manager);
            } else if (masks != null) {
                masks.enforce();
            }
        }

        /** The masks in force (none before the first recomputation). */
        @Override
        public void save(io.otprune.train.TrainState out) {
            out.put("gmp.masks", masks == null ? 0 : 1);
            if (masks != null) {
                for (int j = 0; j < sets.size(); j++) {
                    out.put("gmp.keep." + j, masks.keep()[j]);
                }
            }
        }

        @Override
        public void restore(io.otprune.train.TrainState in) {
            if (masks != null) {
                masks.close();
                masks = null;
            }
            if (in.getInt("gmp.masks") == 1) {
                boolean[][] keep = new boolean[sets.size()][];
                for (int j = 0; j < keep.length; j++) {
                    keep[j] = in.booleans("gmp.keep." + j);
                }
                masks = new HardMasks(sets, keep, manager);
            }
        }

        /** The last masks (exactly at the target once the phase is over). */
        public HardMasks masks() {
            return masks;
        }
    }
}
