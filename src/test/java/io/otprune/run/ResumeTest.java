package io.otprune.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.otprune.prune.PruneConfig;
import io.otprune.train.RunCancelledException;
import io.otprune.train.RunControl;
import io.otprune.train.RunEvent;
import io.otprune.util.Files2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import io.otprune.data.Dataset;
import io.otprune.data.Datasets;
import io.otprune.data.ImageSet;
import java.io.DataOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped right after an epoch's checkpoint (what a kill after that epoch leaves) and resumed ends exactly
 * like the uninterrupted run with the same seed: the same weights (model.params digest), the same summary (but
 * time and latency), the same metrics.jsonl events (but clock fields and one "resumed" line).
 */
public class ResumeTest {
    static final String MODEL = Path.of("sample-models/mlp-300-100-fmnist").toAbsolutePath().toString();

    @TempDir
    Path tmp;
    @TempDir
    static Path shared;
    static String data;

    /** 1,500 training and 300 test images of fashion-mnist-small as an IDX folder: short epochs. */
    @BeforeAll
    static void tinyData() throws Exception {
        data = tinyData(shared.resolve("tiny")).toString();
    }

    /** Writes the tiny IDX data set into {@code dir} (for other tests too). */
    public static Path tinyData(Path dir) throws Exception {
        Dataset d = Datasets.load("fashion-mnist-small");
        Files.createDirectories(dir);
        idx(d.train().load(), 1500, dir, "train");
        idx(d.test().load(), 300, dir, "t10k");
        return dir;
    }

    static void idx(ImageSet s, int n, Path dir, String prefix) throws Exception {
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")))) {
            o.writeInt(0x803);
            o.writeInt(n);
            o.writeInt(s.height());
            o.writeInt(s.width());
            o.write(s.images(), 0, n * s.height() * s.width());
        }
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            o.writeInt(0x801);
            o.writeInt(n);
            o.write(s.labels(), 0, n);
        }
    }

    static PruneRunConfig config(PruneConfig.Method m, int pruneEpochs, int finetuneEpochs) {
        PruneConfig pc = PruneConfig.builder().method(m).granularity(PruneConfig.Granularity.UNSTRUCTURED)
                .sparsity(0.9).build();
        return PruneRunConfig.builder().model(MODEL).data(data).prune(pc).pruneEpochs(pruneEpochs)
                .finetuneEpochs(finetuneEpochs).device("cpu").seed(3).build();
    }

    /** Runs {@code cfg} and stops it right after the checkpoint of {@code phase}'s epoch {@code epoch}. */
    static void runAndStop(PruneRunConfig cfg, Path out, String phase, int epoch) throws Exception {
        RunControl control = new RunControl();
        assertThatThrownBy(() -> PruneRun.execute(cfg, out, false, e -> {
            if (e instanceof RunEvent.Epoch ep && ep.phase().equals(phase) && ep.epoch() == epoch) {
                control.cancel(); // seen at the next step, after this epoch's checkpoint is written
            }
        }, control)).isInstanceOf(RunCancelledException.class);
        assertThat(out.resolve("summary.json")).doesNotExist();
        assertThat(RunHistory.state(out).kind()).isEqualTo(RunHistory.Kind.INTERRUPTED);
    }

    void resumedEqualsUninterrupted(PruneRunConfig cfg, String phase, int epoch, String progress,
            boolean killedBetweenRenames) throws Exception {
        Path ref = tmp.resolve("ref"), cut = tmp.resolve("cut");
        PruneSummary a = PruneRun.execute(cfg, ref, false, e -> {}, new RunControl());
        runAndStop(cfg, cut, phase, epoch);
        RunHistory.Listing l = RunHistory.scan(tmp);
        assertThat(l.runs()).extracting(RunHistory.Entry::name).containsExactly("ref");
        assertThat(l.interrupted()).singleElement().satisfies(i -> {
            assertThat(i.name()).isEqualTo("cut");
            assertThat(i.progress()).isEqualTo(progress);
        });
        if (killedBetweenRenames) {
            // a kill after the old checkpoint was moved away and before the new one was moved in
            Files.move(cut.resolve(Checkpoint.DIR), cut.resolve(Checkpoint.NEW));
            Files.createDirectories(cut.resolve(Checkpoint.OLD));
        }
        List<RunEvent> resumedEvents = new ArrayList<>();
        PruneSummary b = PruneRun.resume(cut, resumedEvents::add, new RunControl());
        assertThat(resumedEvents.get(0)).isInstanceOf(RunEvent.Message.class);

        assertThat(Files2.sha256(cut.resolve("model/model.params")))
                .isEqualTo(Files2.sha256(ref.resolve("model/model.params")));
        assertThat(b.finalAccuracy()).isEqualTo(a.finalAccuracy());
        assertThat(b.accuracyBeforeHardening()).isEqualTo(a.accuracyBeforeHardening());
        assertThat(b.accuracyAfterHardening()).isEqualTo(a.accuracyAfterHardening());
        assertThat(b.maskSharpnessAtHardening()).isEqualTo(a.maskSharpnessAtHardening());
        assertThat(b.perLayer()).isEqualTo(a.perLayer());
        assertThat(stripped(cut.resolve("summary.json"))).isEqualTo(stripped(ref.resolve("summary.json")));
        assertThat(events(cut)).isEqualTo(events(ref));
        try (var s = Files.list(cut)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("run.json", "metrics.jsonl", "summary.json", "model", "masks.json");
        }
        // the hard masks too: a resumed run can be compared with others like any finished run
        assertThat(Files.readString(cut.resolve("masks.json"))).isEqualTo(Files.readString(ref.resolve("masks.json")));
        assertThat(RunHistory.state(cut).kind()).isEqualTo(RunHistory.Kind.FINISHED);
        assertThatThrownBy(() -> PruneRun.resume(cut, e -> {}, new RunControl()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finished run");
    }

    @Test
    void dtpKilledAfterItsFirstEpochResumesToTheUninterruptedRun() throws Exception {
        resumedEqualsUninterrupted(config(PruneConfig.Method.DTP, 2, 1), "prune", 1, "prune epoch 1 of 2", true);
    }

    @Test
    void dtpWithFloorsKilledAfterItsFirstEpochResumesToTheUninterruptedRun() throws Exception {
        // the floors' boosted units are part of DTP's state: saved in the checkpoint, not re-chosen on resume
        PruneConfig pc = PruneConfig.builder().method(PruneConfig.Method.DTP)
                .granularity(PruneConfig.Granularity.UNSTRUCTURED).sparsity(0.9)
                .minKept(java.util.Map.of("fc3", 0.5, "fc2", 0.2)).build();
        PruneRunConfig floors = PruneRunConfig.builder().model(MODEL).data(data).prune(pc).pruneEpochs(2)
                .finetuneEpochs(1).device("cpu").seed(3).build();
        resumedEqualsUninterrupted(floors, "prune", 1, "prune epoch 1 of 2", false);
    }

    @Test
    void gmpKilledInTheFineTunePhaseResumesToTheUninterruptedRun() throws Exception {
        resumedEqualsUninterrupted(config(PruneConfig.Method.GMP, 1, 2), "finetune", 1, "finetune epoch 1 of 2",
                false);
    }

    @Test
    void egpKilledAfterItsFirstIterationResumesToTheUninterruptedRun() throws Exception {
        resumedEqualsUninterrupted(config(PruneConfig.Method.EGP, 2, 0), "prune", 1, "prune epoch 1 of 2", false);
    }

    @Test
    void aRunWithoutCheckpointStartsAgainAndAFolderWithoutRunJsonIsNotARun() throws Exception {
        Path out = tmp.resolve("early");
        PruneRunConfig cfg = config(PruneConfig.Method.MAGNITUDE, 0, 1);
        RunControl control = new RunControl();
        assertThatThrownBy(() -> PruneRun.execute(cfg, out, false, e -> {
            if (e instanceof RunEvent.Step) {
                control.cancel();
            }
        }, control)).isInstanceOf(RunCancelledException.class);
        assertThat(RunHistory.state(out).detail()).startsWith("no epoch finished");
        PruneSummary s = PruneRun.resume(out, e -> {}, new RunControl());
        assertThat(s.achievedSparsity()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(RunHistory.state(empty).kind()).isEqualTo(RunHistory.Kind.NOT_A_RUN);
        assertThatThrownBy(() -> PruneRun.resume(empty, e -> {}, new RunControl()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a run folder");
    }

    /** summary.json without what differs from one run to the next by nature: time and measured latency. */
    static JsonObject stripped(Path summary) throws Exception {
        JsonObject o = JsonParser.parseString(Files.readString(summary)).getAsJsonObject();
        for (String k : List.of("seconds", "speedBefore", "speedAfter", "modelDir")) {
            o.remove(k);
        }
        return o;
    }

    /** metrics.jsonl's events without clock and speed fields, and without the resumed run's "resumed" line. */
    static List<String> events(Path run) throws Exception {
        Set<String> clock = Set.of("time", "seconds", "samplesPerSecond", "rssMiB", "split");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (o.has("text") && o.get("text").getAsString().startsWith("resumed from")) {
                continue;
            }
            clock.forEach(o::remove);
            if (o.has("text") && o.get("text").getAsString().startsWith("latency")) {
                continue;
            }
            out.add(o.toString());
        }
        return out;
    }
}
