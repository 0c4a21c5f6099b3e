package io.otprune.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.otprune.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class RunHistoryTest {
    @TempDir
    Path root;

    public static PruneSummary summary(String method, double sparsity, double acc) {
        return PruneSummary.builder().method(method).granularity("unstructured").budget("count").scope("global")
                .targetSparsity(sparsity).achievedSparsity(sparsity).achievedUnitSparsity(sparsity)
                .achievedParamSparsity(sparsity).achievedFlopSparsity(sparsity).denseAccuracy(0.91)
                .accuracyBeforeHardening(acc).accuracyAfterHardening(acc).finalAccuracy(acc).hardeningGap(0)
                .maskSharpnessAtHardening(1).epsilonAtHardening(1e-3).perLayer(List.of()).paramsBefore(100)
                .paramsAfter(10).flopsBefore(1000).flopsAfter(100).units(100).unitsKept(10).seconds(3.0).device("cpu")
                .modelDir("model").build();
    }

    void finishedRun(String name, String model, PruneSummary s, long minute) throws Exception {
        Path d = Files.createDirectories(root.resolve(name));
        Files.writeString(d.resolve("run.json"), "{\"config\": {\"model\": \"" + model + "\", \"data\": \"mnist-small\"}}");
        Files.writeString(d.resolve("summary.json"), Json.PRETTY.toJson(s));
        Files.setLastModifiedTime(d.resolve("summary.json"), FileTime.fromMillis(minute * 60_000));
    }

    @Test
    void listsFinishedRunsNewestFirstAndCountsTheRest() throws Exception {
        finishedRun("a", "sample-models/lenet5-fmnist", summary("DTP", 0.9, 0.90), 1);
        finishedRun("b", "/elsewhere/lenet5-fmnist", summary("GMP", 0.9, 0.89), 3);
        // cancelled: run.json only; corrupt summary; a plain folder
        Files.createDirectories(root.resolve("cancelled"));
        Files.writeString(root.resolve("cancelled/run.json"), "{\"config\": {\"model\": \"m\"}}");
        Files.createDirectories(root.resolve("corrupt"));
        Files.writeString(root.resolve("corrupt/run.json"), "{\"config\": {\"model\": \"m\"}}");
        Files.writeString(root.resolve("corrupt/summary.json"), "{ truncated");
        Files.createDirectories(root.resolve("other"));

        RunHistory.Listing l = RunHistory.scan(root);
        assertThat(l.runs()).extracting(RunHistory.Entry::name).containsExactly("b", "a");
        assertThat(l.skipped()).isEqualTo(3);
        RunHistory.Entry b = l.runs().get(0);
        assertThat(b.data()).isEqualTo("mnist-small");
        assertThat(b.summary().finalAccuracy()).isEqualTo(0.89);
        assertThat(b.seriesKey()).isEqualTo("lenet5-fmnist · gmp · unstructured");
    }

    @Test
    void aMissingFolderIsAnEmptyHistory() {
        RunHistory.Listing l = RunHistory.scan(root.resolve("nothing-here"));
        assertThat(l.runs()).isEmpty();
        assertThat(l.skipped()).isZero();
    }
}
