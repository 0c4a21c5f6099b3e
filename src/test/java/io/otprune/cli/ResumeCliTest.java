package io.otprune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resume and runs refuse what is not an interrupted run in one line, and tell finished from interrupted runs. */
class ResumeCliTest {
    @TempDir
    Path tmp;

    @Test
    void resumeRefusesFoldersThatAreNotInterruptedRunsInOneLine() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliTest.Result r = CliTest.run("resume", empty.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("otprune: ").contains("not a run folder").doesNotContain("\n");
        Path done = Files.createDirectories(tmp.resolve("done"));
        Files.writeString(done.resolve("run.json"), "{\"config\": {\"model\": \"m\", \"data\": \"d\", \"prune\": "
                + "{\"method\": \"DTP\", \"granularity\": \"UNSTRUCTURED\", \"budget\": \"COUNT\", \"scope\": \"GLOBAL\", "
                + "\"sparsity\": 0.9, \"temperature\": \"AUTO\", \"scoreLearningRate\": 0.05, \"latencyBatch\": 1}, "
                + "\"pruneEpochs\": 2, \"finetuneEpochs\": 1}}");
        r = CliTest.run("runs", tmp.toString());
        assertThat(r.out()).contains("interrupted  " + done).contains("no epoch finished")
                .contains("0 finished, 1 interrupted, 1 other");
        Files.writeString(done.resolve("summary.json"), io.otprune.util.Json.PRETTY.toJson(
                io.otprune.run.RunHistoryTest.summary("DTP", 0.9, 0.8)));
        r = CliTest.run("resume", done.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains("finished run").doesNotContain("\n");
        r = CliTest.run("runs", tmp.toString());
        assertThat(r.out()).contains("finished     " + done).contains("1 finished, 0 interrupted, 1 other");
    }
}
