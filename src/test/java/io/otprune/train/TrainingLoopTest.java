package io.otprune.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.otprune.data.Dataset;
import io.otprune.data.Datasets;
import io.otprune.data.ImageSet;
import io.otprune.data.Normalization;
import io.otprune.model.Architectures;
import io.otprune.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {
    static Dataset data;
    static ImageSet smallTrain;
    static ImageSet smallTest;

    @BeforeAll
    static void load() throws Exception {
        data = Datasets.load(Datasets.FASHION_SMALL);
        smallTrain = data.train().select(io.otprune.data.Subsets.range(2048));
        smallTest = data.test().select(io.otprune.data.Subsets.range(500));
    }

    private static List<RunEvent> train(String arch, int epochs, long seed, RunControl control, List<RunEvent> events)
            throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed((int) seed);
            Network n = new Network(Architectures.graph(arch, 1, 28, 28, 10));
            n.initialize(m);
            TrainConfig c = TrainConfig.builder().epochs(epochs).seed(seed).stepEventInterval(1).build();
            new TrainingLoop(n, m, smallTrain, smallTest, Normalization.of(smallTrain), c, events::add, control, "train")
                    .run();
        }
        return events;
    }

    @Test
    void freshTrainingWarmsUpThenDecaysAndTrainedWeightsDoNot() {
        TrainConfig c = TrainConfig.defaults(5, 1);
        assertThat(TrainConfig.freshWarmup(469, 5)).isEqualTo(234);
        assertThat(TrainConfig.freshWarmup(79, 20)).isEqualTo(79); // at most one epoch
        ai.djl.training.tracker.Tracker warm = TrainingLoop.schedule(c.withWarmup(100), 1000);
        assertThat(warm.getNewValue(0)).isCloseTo(0.05f / 100, org.assertj.core.data.Offset.offset(1e-7f));
        assertThat(warm.getNewValue(50)).isBetween(0.02f, 0.03f);
        assertThat(warm.getNewValue(100)).isCloseTo(0.05f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(warm.getNewValue(999)).isLessThan(0.001f);
        for (int k = 1; k < 100; k++) {
            assertThat(warm.getNewValue(k)).isGreaterThan(warm.getNewValue(k - 1));
        }
        ai.djl.training.tracker.Tracker plain = TrainingLoop.schedule(c, 1000);
        assertThat(plain.getNewValue(0)).isEqualTo(0.05f);
        assertThatThrownBy(() -> c.withWarmup(-1)).hasMessageContaining("warm-up");
    }

    @Test
    void shortRunLowersTheLoss() throws Exception {
        List<RunEvent> ev = train("lenet5", 2, 1, new RunControl(), new ArrayList<>());
        List<RunEvent.Step> steps = ev.stream().filter(e -> e instanceof RunEvent.Step).map(e -> (RunEvent.Step) e).toList();
        assertThat(steps).hasSize(32);
        double first = steps.subList(0, 4).stream().mapToDouble(RunEvent.Step::loss).average().orElseThrow();
        double last = steps.subList(28, 32).stream().mapToDouble(RunEvent.Step::loss).average().orElseThrow();
        assertThat(last).isLessThan(first * 0.6);
        RunEvent.Epoch e2 = (RunEvent.Epoch) ev.stream().filter(e -> e instanceof RunEvent.Epoch).reduce((a, b) -> b).orElseThrow();
        assertThat(e2.testAccuracy()).isGreaterThan(0.4); // chance is 0.1
    }

    @Test
    void epochTimeSaysWhereTheSecondsWent() throws Exception {
        // a hook that sleeps 20 ms after every update: its time is the method's, not the forward/backward pass's
        List<RunEvent> events = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Network n = new Network(Architectures.graph("lenet5", 1, 28, 28, 10));
            n.initialize(m);
            TrainConfig c = TrainConfig.builder().epochs(1).seed(1).build();
            new TrainingLoop(n, m, smallTrain, smallTest, Normalization.of(smallTrain), c, events::add,
                    new RunControl(), "prune").withHook(new TrainingLoop.StepHook() {
                        @Override
                        public void afterUpdate(NDManager step, int globalStep) {
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }).run();
        }
        RunEvent.Epoch e = (RunEvent.Epoch) events.stream().filter(x -> x instanceof RunEvent.Epoch).findFirst()
                .orElseThrow();
        RunEvent.EpochTime t = e.split();
        int steps = 2048 / 128;
        assertThat(t.method()).isGreaterThanOrEqualTo(steps * 0.020);
        assertThat(t.forwardBackward()).isPositive();
        assertThat(t.update()).isPositive();
        assertThat(t.evaluation()).isPositive();
        assertThat(t.data()).isGreaterThanOrEqualTo(0);
        assertThat(t.data() + t.forwardBackward() + t.update() + t.method() + t.evaluation())
                .isLessThanOrEqualTo(e.seconds());
    }

    @Test
    void sameSeedSameRunOnCpu() throws Exception {
        List<RunEvent> a = train("mlp-300-100", 1, 3, new RunControl(), new ArrayList<>());
        List<RunEvent> b = train("mlp-300-100", 1, 3, new RunControl(), new ArrayList<>());
        List<Double> la = a.stream().filter(e -> e instanceof RunEvent.Step).map(e -> ((RunEvent.Step) e).loss()).toList();
        List<Double> lb = b.stream().filter(e -> e instanceof RunEvent.Step).map(e -> ((RunEvent.Step) e).loss()).toList();
        assertThat(la).isEqualTo(lb);
        List<RunEvent> c = train("mlp-300-100", 1, 4, new RunControl(), new ArrayList<>());
        List<Double> lc = c.stream().filter(e -> e instanceof RunEvent.Step).map(e -> ((RunEvent.Step) e).loss()).toList();
        assertThat(lc).isNotEqualTo(la);
    }

    @Test
    void cancelStopsWithinOneStep() throws Exception {
        RunControl control = new RunControl();
        AtomicInteger stepsAfterCancel = new AtomicInteger(-1);
        List<RunEvent> events = new ArrayList<>() {
            @Override
            public boolean add(RunEvent e) {
                if (e instanceof RunEvent.Step s) {
                    if (stepsAfterCancel.get() >= 0) {
                        stepsAfterCancel.incrementAndGet();
                    }
                    if (s.globalStep() == 5) {
                        control.cancel(); // as if the user pressed Stop during step 5
                        stepsAfterCancel.set(0);
                    }
                }
                return super.add(e);
            }
        };
        assertThatThrownBy(() -> train("lenet5", 3, 1, control, events)).isInstanceOf(RunCancelledException.class);
        assertThat(stepsAfterCancel.get()).isZero();
        assertThat(events.stream().filter(e -> e instanceof RunEvent.Step)).hasSize(5);
    }

    @Test
    void pauseBlocksAndResumeContinues() throws Exception {
        RunControl control = new RunControl();
        CountDownLatch reachedStep3 = new CountDownLatch(1);
        AtomicInteger steps = new AtomicInteger();
        List<RunEvent> events = new ArrayList<>() {
            @Override
            public synchronized boolean add(RunEvent e) {
                if (e instanceof RunEvent.Step s) {
                    steps.set(s.globalStep());
                    if (s.globalStep() == 3) {
                        control.pause();
                        reachedStep3.countDown();
                    }
                }
                return super.add(e);
            }
        };
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
                try {
                    train("mlp-300-100", 1, 1, control, events);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, worker);
            assertThat(reachedStep3.await(60, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(300);
            assertThat(steps.get()).isEqualTo(3); // paused: no step ran
            assertThat(run).isNotDone();
            control.resume();
            run.get(60, TimeUnit.SECONDS);
            assertThat(steps.get()).isEqualTo(16);
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void noArraysAccumulateAcrossSteps() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(1);
            Network n = new Network(Architectures.graph("resnet20", 1, 28, 28, 10));
            n.initialize(m);
            List<Integer> perEpoch = new ArrayList<>();
            List<Integer> perStep = new ArrayList<>();
            TrainConfig c = TrainConfig.builder().epochs(3).batchSize(64).stepEventInterval(1).build();
            ImageSet tiny = smallTrain.select(io.otprune.data.Subsets.range(256));
            new TrainingLoop(n, m, tiny, smallTest.select(io.otprune.data.Subsets.range(100)),
                    Normalization.of(tiny), c, e -> {}, new RunControl(), "train")
                    .withHook(new TrainingLoop.StepHook() {
                        @Override
                        public void afterUpdate(NDManager step, int globalStep) {
                            perStep.add(m.getManagedArrays().size() - step.getManagedArrays().size());
                        }

                        @Override
                        public void afterEpoch(int epoch) {
                            perEpoch.add(m.getManagedArrays().size());
                        }
                    }).run();
            // optimizer state appears in the first step; after that nothing new stays on the model's manager
            assertThat(perStep.subList(1, perStep.size())).containsOnly(perStep.get(1));
            assertThat(perEpoch).containsOnly(perEpoch.get(0));
        }
    }

    @Test
    void divergingRunStopsWithAClearMessage() throws Exception {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(1);
            Network n = new Network(Architectures.graph("mlp-300-100", 1, 28, 28, 10));
            n.initialize(m);
            TrainConfig c = TrainConfig.builder().learningRate(1e6).weightDecay(0).stepEventInterval(1).build();
            assertThatThrownBy(() -> new TrainingLoop(n, m, smallTrain, null, Normalization.of(smallTrain), c,
                    e -> {}, new RunControl(), "train").run())
                    .isInstanceOf(DivergenceException.class).hasMessageContaining("diverged");
        }
    }
}
