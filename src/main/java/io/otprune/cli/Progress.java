package io.otprune.cli;

import io.otprune.run.PruneSummary;
import io.otprune.train.RunEvent;

/** Prints a run's events as progress lines: one per epoch and per phase. */
final class Progress {
    private Progress() {}

    static void print(RunEvent e) {
        if (e instanceof RunEvent.Epoch ep) {
            System.out.printf("[%s] epoch %d/%d  train loss %.4f acc %.2f%%  test loss %.4f acc %.2f%%  %.1f s  "
                    + "%.0f samples/s  RSS %.0f MiB%n", ep.phase(), ep.epoch(), ep.epochs(), ep.trainLoss(),
                    100 * ep.trainAccuracy(), ep.testLoss(), 100 * ep.testAccuracy(), ep.seconds(),
                    ep.samplesPerSecond(), ep.rssMiB());
            RunEvent.EpochTime t = ep.split();
            System.out.printf("[%s]   split: data %.1f s, forward+backward %.1f s, update %.1f s, method %.1f s, "
                    + "evaluation %.1f s%n", ep.phase(), t.data(), t.forwardBackward(), t.update(), t.method(),
                    t.evaluation());
        } else if (e instanceof RunEvent.Phase p) {
            System.out.println("[" + p.phase() + "] " + p.detail());
        } else if (e instanceof RunEvent.Message m) {
            System.out.println("[" + m.level() + "] " + m.text());
        } else if (e instanceof RunEvent.Prune p && p.step() == p.totalSteps()) {
            System.out.printf("[prune] end of phase: ε %.3g, sharpness %.4f, soft kept %.4f of target %.4f%n",
                    p.epsilon(), p.sharpness(), p.softKept(), p.targetKept());
        } else if (e instanceof RunEvent.Failed f) {
            System.err.println("[failed] " + f.message());
        }
    }

    /** The final summary block of a pruning run. */
    static String summary(PruneSummary s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s %s pruning, %s budget, %s scope%n", s.method(), s.granularity(), s.budget(), s.scope()));
        b.append(String.format("  sparsity: target %.4f, achieved %.6f (units %.6f, params %.6f, FLOPs %.6f)%n",
                s.targetSparsity(), s.achievedSparsity(), s.achievedUnitSparsity(), s.achievedParamSparsity(),
                s.achievedFlopSparsity()));
        b.append(String.format("  accuracy: dense %.2f%%, before hardening %.2f%%, after %.2f%% (gap %+.2f), final %.2f%%%n",
                100 * s.denseAccuracy(), 100 * s.accuracyBeforeHardening(), 100 * s.accuracyAfterHardening(),
                100 * s.hardeningGap(), 100 * s.finalAccuracy()));
        b.append(String.format("  mask sharpness at hardening %.4f; params %,d -> %,d; MACs %,d -> %,d; %.1f s%n",
                s.maskSharpnessAtHardening(), s.paramsBefore(), s.paramsAfter(), s.flopsBefore(), s.flopsAfter(),
                s.seconds()));
        for (io.otprune.prune.Accounting.Layer l : s.perLayer()) {
            b.append(String.format("  %-16s kept %8d / %-8d (%.1f%%)%n", l.name(), l.kept(), l.units(),
                    100.0 * l.kept() / l.units()));
        }
        if (s.compactMaxAbsDiff() != null) {
            b.append(String.format("  compact model: max |logit difference| %.2e; latency batch 1 %.3f -> %.3f ms "
                    + "(x%.2f), batch 256 %.1f -> %.1f ms (x%.2f); files %,d -> %,d bytes%n", s.compactMaxAbsDiff(),
                    s.speedBefore().batch1Ms(), s.speedAfter().batch1Ms(),
                    s.speedBefore().batch1Ms() / s.speedAfter().batch1Ms(), s.speedBefore().batch256Ms(),
                    s.speedAfter().batch256Ms(), s.speedBefore().batch256Ms() / s.speedAfter().batch256Ms(),
                    s.speedBefore().fileBytes(), s.speedAfter().fileBytes()));
        }
        if (!s.note().isEmpty()) {
            b.append("  note: ").append(s.note());
        }
        return b.toString();
    }
}
