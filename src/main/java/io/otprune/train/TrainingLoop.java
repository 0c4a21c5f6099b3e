package io.otprune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.tracker.Tracker;
import io.otprune.data.Batches;
import io.otprune.data.Augmentation;
import io.otprune.data.LabelledImages;
import io.otprune.data.Normalization;
import io.otprune.model.Network;
import io.otprune.util.ProcessMemory;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The one training loop of the project, driven the same way by the CLI and the GUI. It must run entirely on one
 * thread (DJL allows one gradient collector per process and grad mode is per thread: engine trap 3).
 *
 * <p>Every step runs in a child manager that is closed at the end of the step, so the loop allocates nothing that
 * outlives a step besides the optimizer state (engine trap 2). Phases of a pruning run plug in through
 * {@link StepHook}.
 */
public final class TrainingLoop {

    /** Extension points for pruning: masks before the forward pass, score updates after the backward pass. */
    public interface StepHook {
        /** Before the forward pass of a step, with the step's manager (soft masks are built here). */
        default void beforeForward(NDManager step, int globalStep) {}

        /** After backward and the weight update of a step (scores, dual variables and temperature move here). */
        default void afterUpdate(NDManager step, int globalStep) {}

        /** Before the end-of-epoch evaluation, with the manager it runs in (eval-time masks are built here). */
        default void beforeEvaluation(NDManager evaluation) {}

        /** After each epoch's evaluation. */
        default void afterEpoch(int epoch) {}

        /** Runs {@code first}, then {@code second}, at every point. */
        static StepHook both(StepHook first, StepHook second) {
            return new StepHook() {
                @Override public void beforeForward(NDManager s, int g) { first.beforeForward(s, g); second.beforeForward(s, g); }
                @Override public void afterUpdate(NDManager s, int g) { first.afterUpdate(s, g); second.afterUpdate(s, g); }
                @Override public void beforeEvaluation(NDManager e) { first.beforeEvaluation(e); second.beforeEvaluation(e); }
                @Override public void afterEpoch(int e) { first.afterEpoch(e); second.afterEpoch(e); }
            };
        }
    }

    /**
     * A hook whose state a checkpoint holds (scores, dual variables, temperature, masks, its own optimizer), so a
     * run can continue from the end of an epoch as if it had not stopped.
     */
    public interface Resumable {
        void save(TrainState out);

        void restore(TrainState in);
    }

    /**
     * Called at the end of every epoch, after the hook's {@code afterEpoch}: {@code loopState} writes what the loop
     * needs to continue (optimizer state and update counts, the epoch's results) into a checkpoint's state.
     */
    public interface EpochEnd {
        void epochDone(int epoch, int epochs, java.util.function.Consumer<TrainState> loopState);
    }

    /** What a finished loop reports. */
    public record Result(int epochs, double trainLoss, double trainAccuracy, Evaluation test, double seconds,
            double samplesPerSecond) {}

    private final Network net;
    private final NDManager manager;
    private final LabelledImages train;
    private final LabelledImages test;
    private final Normalization norm;
    private final TrainConfig config;
    private final Consumer<RunEvent> events;
    private final RunControl control;
    private final String phase;
    private StepHook hook = new StepHook() {};
    private Augmentation augmentation = Augmentation.NONE;
    private EpochEnd epochEnd = (e, n, s) -> {};
    private int resumeEpochs;
    private TrainState resumeState;

    /**
     * @param manager the manager holding the network's parameters (on the run's device)
     * @param test    the split evaluated after every epoch (null: no evaluation)
     * @param phase   name reported in events (train, prune, finetune)
     */
    public TrainingLoop(Network net, NDManager manager, LabelledImages train, LabelledImages test, Normalization norm,
            TrainConfig config, Consumer<RunEvent> events, RunControl control, String phase) {
        this.net = net;
        this.manager = manager;
        this.train = train;
        this.test = test;
        this.norm = norm;
        this.config = config;
        this.events = events;
        this.control = control;
        this.phase = phase;
    }

    public TrainingLoop withHook(StepHook hook) {
        this.hook = hook;
        return this;
    }

    /** Augments the training batches (seeded per epoch and sample); evaluation never is. */
    public TrainingLoop withAugmentation(Augmentation augmentation) {
        this.augmentation = augmentation;
        return this;
    }

    /** Called at the end of every epoch with the loop's state (the run writes its checkpoint there). */
    public TrainingLoop withEpochEnd(EpochEnd epochEnd) {
        this.epochEnd = epochEnd;
        return this;
    }

    /**
     * Continues a loop that stopped after {@code epochsDone} of its epochs: the optimizer's state and update counts
     * come from {@code state} (what {@link EpochEnd} was given), the epochs done are skipped, and every later step
     * sees the same step number, learning rate and data order it would have seen. The weights and the hook's state
     * are the caller's to restore.
     */
    public TrainingLoop withResume(int epochsDone, TrainState state) {
        this.resumeEpochs = epochsDone;
        this.resumeState = state;
        return this;
    }

    /**
     * Builds the optimizer of a config for a given number of total steps (cosine decay to zero): DJL's SGD with
     * momentum or Adam, with state a checkpoint can hold ({@link ResumableOptimizer}).
     */
    public static ResumableOptimizer optimizer(TrainConfig c, int totalSteps) {
        Tracker lr = schedule(c, totalSteps);
        if (c.optimizer().equals("adam")) {
            return ResumableOptimizer.adam(lr, (float) c.weightDecay());
        }
        return ResumableOptimizer.sgd(lr, (float) c.momentum(), (float) c.weightDecay());
    }

    /**
     * The learning rate per step: a linear warm-up over the config's warm-up steps (from lr / steps, so no step is
     * wasted at 0), then cosine from lr to 0 over the rest.
     */
    static Tracker schedule(TrainConfig c, int totalSteps) {
        int warm = Math.min(c.warmupSteps(), Math.max(0, totalSteps - 1));
        Tracker cosine = Tracker.cosine().setBaseValue((float) c.learningRate()).optFinalValue(0f)
                .setMaxUpdates(Math.max(1, totalSteps - warm)).build();
        return warm == 0 ? cosine : Tracker.warmUp().setMainTracker(cosine).optWarmUpSteps(warm)
                .optWarmUpBeginValue((float) (c.learningRate() / warm)).build();
    }

    /** Evaluates with the hook's eval-time masks, in a manager closed right after. */
    public static Evaluation evaluate(Network net, NDManager manager, LabelledImages set, Normalization norm,
            StepHook hook) {
        try (NDManager eval = manager.newSubManager()) {
            hook.beforeEvaluation(eval);
            return Evaluation.of(net, eval, set, norm);
        }
    }

    public Result run() throws RunCancelledException, DivergenceException {
        GradMode.offOnThisThread();
        Batches batches = new Batches(train, norm, config.batchSize());
        int perEpoch = batches.count();
        int total = perEpoch * config.epochs();
        ResumableOptimizer optimizer = optimizer(config, total);
        try {
            return run(batches, perEpoch, total, optimizer);
        } finally {
            optimizer.close();
        }
    }

    private Result run(Batches batches, int perEpoch, int total, ResumableOptimizer optimizer)
            throws RunCancelledException, DivergenceException {
        Tracker lrTracker = schedule(config, total);
        List<Parameter> params = net.trainableParameters();
        for (Parameter p : params) {
            p.getArray().setRequiresGradient(true);
        }
        ParameterStore ps = new ParameterStore(manager, false);
        long runStart = System.nanoTime();
        // parameter ids differ from one process to the next: the checkpoint names parameters by their block path
        java.util.Map<String, String> nameOf = new java.util.HashMap<>(), idOf = new java.util.LinkedHashMap<>();
        for (ai.djl.util.Pair<String, Parameter> p : net.parameters()) {
            nameOf.put(p.getValue().getId(), p.getKey());
            idOf.put(p.getKey(), p.getValue().getId());
        }
        Progress progress = new Progress();
        if (resumeEpochs > 0) {
            optimizer.restore(resumeState, "opt.", idOf, manager);
            progress.resume(resumeState, resumeEpochs, perEpoch);
        }
        for (int epoch = progress.firstEpoch; epoch <= config.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            Tally tally = new Tally();
            // the loader thread reads (decodes), augments and normalises ahead; pause and cancel reach it
            try (Batches.Loader loader = batches.loader(batches.order(config.seed(), epoch, true), epoch, augmentation,
                    control)) {
                for (int b = 0; b < perEpoch; b++) {
                    control.checkpoint();
                    StepResult r = step(loader, ps, params, optimizer, lrTracker, epoch, b, progress.globalStep);
                    progress.globalStep++;
                    progress.samplesSeen += r.samples();
                    tally.add(r);
                    if (progress.globalStep % config.stepEventInterval() == 0 || b == perEpoch - 1) {
                        events.accept(tally.windowEvent(phase, epoch, b + 1, perEpoch, progress.globalStep, total,
                                lrTracker.getNewValue(progress.globalStep)));
                    }
                }
            }
            endEpoch(epoch, epochStart, tally, progress, optimizer, nameOf);
        }
        double secs = (System.nanoTime() - runStart) / 1e9;
        return new Result(config.epochs(), progress.lastLoss, progress.lastAcc, progress.lastTest, secs,
                progress.samplesSeen / Math.max(secs, 1e-9));
    }

    /** Where the run stands: its next step, what it has seen and its last epoch's figures. */
    private static final class Progress {
        int firstEpoch = 1;
        int globalStep;
        long samplesSeen;
        double lastLoss = Double.NaN;
        double lastAcc = Double.NaN;
        Evaluation lastTest;

        /** Continues after {@code epochsDone} epochs from a checkpoint's state. */
        void resume(TrainState state, int epochsDone, int perEpoch) {
            firstEpoch = epochsDone + 1;
            globalStep = epochsDone * perEpoch;
            lastLoss = state.getDouble("loop.trainLoss");
            lastAcc = state.getDouble("loop.trainAccuracy");
            if (state.has("loop.testAccuracy")) {
                // the checkpoint keeps the last evaluation's figures, not its confusion matrix
                lastTest = new Evaluation(state.getDouble("loop.testLoss"), state.getDouble("loop.testAccuracy"),
                        state.getInt("loop.testSamples"), null);
            }
        }
    }

    /** Sums over an epoch's steps, and over the window of steps since the last step event. */
    private static final class Tally {
        double loss;
        long correct;
        double windowLoss;
        long windowCorrect;
        long windowSamples;
        long windowStart = System.nanoTime();

        long dataNanos;
        long forwardBackwardNanos;
        long updateNanos;
        long methodNanos;

        void add(StepResult r) {
            dataNanos += r.dataNanos();
            forwardBackwardNanos += r.forwardBackwardNanos();
            updateNanos += r.updateNanos();
            methodNanos += r.methodNanos();
            loss += (double) r.loss() * r.samples();
            correct += r.correct();
            windowLoss += (double) r.loss() * r.samples();
            windowCorrect += r.correct();
            windowSamples += r.samples();
        }

        /** The window's step event (mean loss and accuracy, samples per second); starts the next window. */
        RunEvent.Step windowEvent(String phase, int epoch, int step, int perEpoch, int globalStep, int total,
                double lr) {
            double secs = (System.nanoTime() - windowStart) / 1e9;
            RunEvent.Step e = new RunEvent.Step(phase, epoch, step, perEpoch, globalStep, total,
                    windowLoss / windowSamples, (double) windowCorrect / windowSamples, lr,
                    windowSamples / Math.max(secs, 1e-9));
            windowLoss = 0;
            windowCorrect = 0;
            windowSamples = 0;
            windowStart = System.nanoTime();
            return e;
        }
    }

    /** The epoch's figures and evaluation, its event, the hook's end of epoch and the checkpoint's loop state. */
    private void endEpoch(int epoch, long epochStart, Tally tally, Progress progress, ResumableOptimizer optimizer,
            java.util.Map<String, String> nameOf) throws RunCancelledException {
        double trainSecs = (System.nanoTime() - epochStart) / 1e9;
        double trainLoss = tally.loss / train.count();
        double trainAcc = (double) tally.correct / train.count();
        control.checkpoint();
        long evalStart = System.nanoTime();
        Evaluation t = test == null ? null : evaluate(net, manager, test, norm, hook);
        RunEvent.EpochTime split = new RunEvent.EpochTime(tally.dataNanos / 1e9, tally.forwardBackwardNanos / 1e9,
                tally.updateNanos / 1e9, tally.methodNanos / 1e9, (System.nanoTime() - evalStart) / 1e9);
        progress.lastLoss = trainLoss;
        progress.lastAcc = trainAcc;
        progress.lastTest = t;
        events.accept(new RunEvent.Epoch(phase, epoch, config.epochs(), trainLoss, trainAcc,
                t == null ? Double.NaN : t.loss(), t == null ? Double.NaN : t.accuracy(),
                (System.nanoTime() - epochStart) / 1e9, train.count() / trainSecs, ProcessMemory.rssMiB(), split));
        hook.afterEpoch(epoch);
        epochEnd.epochDone(epoch, config.epochs(), st -> {
            optimizer.save(st, "opt.", id -> nameOf.getOrDefault(id, id));
            st.put("loop.trainLoss", trainLoss);
            st.put("loop.trainAccuracy", trainAcc);
            if (t != null) {
                st.put("loop.testLoss", t.loss());
                st.put("loop.testAccuracy", t.accuracy());
                st.put("loop.testSamples", t.samples());
            }
        });
    }

    /**
     * What one training step reports: its mean loss, its correct predictions, its batch size and the nanoseconds of
     * its parts ({@link RunEvent.EpochTime}).
     */
    private record StepResult(float loss, long correct, int samples, long dataNanos, long forwardBackwardNanos,
            long updateNanos, long methodNanos) {}

    /**
     * One step in its own manager: the next batch, forward and backward with the hook's masks on the graph, a
     * divergence check, the optimizer's update, then the hook's update (scores, dual variables, temperature).
     */
    private StepResult step(Batches.Loader loader, ParameterStore ps, List<Parameter> params,
            ResumableOptimizer optimizer, Tracker lrTracker, int epoch, int b, int globalStep)
            throws RunCancelledException, DivergenceException {
        try (NDManager step = manager.newSubManager()) {
            long t0 = System.nanoTime();
            Batches.Batch batch;
            try {
                batch = loader.next(step);
            } catch (CancellationException e) {
                throw new RunCancelledException();
            }
            long t1 = System.nanoTime();
            long hookStart;
            long t2;
            float loss;
            long correct;
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                hook.beforeForward(step, globalStep); // inside the collector: masks are on the graph
                hookStart = System.nanoTime();
                NDArray logits = net.forward(ps, batch.images(), true);
                NDArray lossArr = Losses.crossEntropy(logits, batch.labels());
                gc.backward(lossArr);
                loss = lossArr.getFloat();
                correct = Losses.correct(logits, batch.labels());
                t2 = System.nanoTime();
            }
            if (!Float.isFinite(loss)) {
                throw new DivergenceException(String.format(
                        "loss became %s at epoch %d, step %d (learning rate %.3g): the run diverged; "
                                + "lower the learning rate", loss, epoch, b + 1, lrTracker.getNewValue(globalStep)));
            }
            for (Parameter p : params) {
                NDArray w = p.getArray();
                NDArray g = w.getGradient();
                g.attach(step); // the gradient handle would otherwise live as long as the model
                optimizer.update(p.getId(), w, g);
            }
            long t3 = System.nanoTime();
            hook.afterUpdate(step, globalStep);
            long t4 = System.nanoTime();
            return new StepResult(loss, correct, batch.size(), t1 - t0, t2 - hookStart, t3 - t2,
                    (hookStart - t1) + (t4 - t3));
        }
    }
}
