package io.otprune.run;

import ai.djl.ndarray.NDManager;
import io.otprune.model.ModelFormatException;
import io.otprune.model.ModelInfo;
import io.otprune.model.ModelStore;
import io.otprune.model.Network;
import io.otprune.train.TrainState;
import io.otprune.util.Files2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's checkpoint: the folder {@code checkpoint/} inside the run folder, written at the end of every epoch of
 * every phase. It is a model folder (model.json, model.params: the weights, masks enforced) plus
 * {@link TrainState}'s state.json and state.params (optimizer states and update counts, the method's state: scores,
 * τ, ρ, ε, masks; the phase and epoch; what the summary needs from earlier phases; the length of metrics.jsonl).
 *
 * <p>Written without ever leaving a half-written checkpoint as the newest complete one: the new checkpoint is built
 * in {@code .checkpoint.new/} (state.json last, atomically), then the old one is moved to {@code .checkpoint.old/},
 * the new one to {@code checkpoint/}, and the old one deleted. A process killed at any moment leaves one of the
 * three complete: {@link #find} takes {@code .checkpoint.new/} when it holds state.json (it is newer), else
 * {@code checkpoint/}, else {@code .checkpoint.old/}.
 */
public final class Checkpoint {
    public static final String DIR = "checkpoint";
    static final String NEW = ".checkpoint.new";
    static final String OLD = ".checkpoint.old";

    private Checkpoint() {}

    /** Writes a checkpoint of {@code net} (with {@code info}) and {@code state} into the run folder. */
    public static void write(Path runDir, Network net, ModelInfo info, TrainState state) throws IOException {
        Path fresh = runDir.resolve(NEW), current = runDir.resolve(DIR), old = runDir.resolve(OLD);
        Files2.deleteRecursively(fresh);
        ModelStore.save(fresh, net, info, false);
        state.write(fresh);
        Files2.deleteRecursively(old);
        if (Files.exists(current)) {
            Files.move(current, old);
        }
        Files.move(fresh, current);
        Files2.deleteRecursively(old);
    }

    /** The newest complete checkpoint of a run folder, or null if it has none. */
    public static Path find(Path runDir) {
        for (String n : new String[] {NEW, DIR, OLD}) {
            Path p = runDir.resolve(n);
            if (Files.isRegularFile(p.resolve(TrainState.JSON))) {
                return p;
            }
        }
        return null;
    }

    /** The newest complete checkpoint's state, or null if none can be read. */
    public static TrainState readState(Path runDir) {
        Path p = find(runDir);
        if (p == null) {
            return null;
        }
        try {
            return TrainState.read(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Makes the newest complete checkpoint {@code checkpoint/} again (after a kill between the renames) and removes
     * the others; returns it, or null if there is none.
     */
    static Path settle(Path runDir) throws IOException {
        Path p = find(runDir);
        if (p == null) {
            return null;
        }
        Path current = runDir.resolve(DIR);
        if (!p.equals(current)) {
            Files2.deleteRecursively(current);
            Files.move(p, current);
        }
        Files2.deleteRecursively(runDir.resolve(NEW));
        Files2.deleteRecursively(runDir.resolve(OLD));
        return current;
    }

    /** Loads the checkpoint's weights (digest and shapes checked like any model folder). */
    static ModelStore.Loaded load(Path checkpoint, NDManager manager) throws ModelFormatException {
        return ModelStore.load(checkpoint, manager);
    }

    /** Removes every checkpoint folder of a run (once its summary is written, or before a forced new run). */
    public static void removeAll(Path runDir) throws IOException {
        Files2.deleteRecursively(runDir.resolve(NEW));
        Files2.deleteRecursively(runDir.resolve(DIR));
        Files2.deleteRecursively(runDir.resolve(OLD));
    }

    /** In words: where a checkpoint stands ("prune epoch 1 of 2"), for listings. */
    static String describe(TrainState s, PruneRunConfig cfg) {
        String phase = s.getString("phase");
        int total = phase.equals("prune") ? cfg.pruneEpochs()
                : s.has("run.finetuneEpochs") ? s.getInt("run.finetuneEpochs") : cfg.finetuneEpochs();
        return phase + " epoch " + s.getInt("phaseEpochs") + " of " + total;
    }
}
