package io.otprune.cli;

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
        } else if (e instanceof RunEvent.Phase p) {
            System.out.println("[" + p.phase() + "] " + p.detail());
        } else if (e instanceof RunEvent.Message m) {
            System.out.println("[" + m.level() + "] " + m.text());
        } else if (e instanceof RunEvent.Failed f) {
            System.err.println("[failed] " + f.message());
        }
    }
}
