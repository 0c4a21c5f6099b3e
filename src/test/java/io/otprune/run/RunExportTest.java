package io.otprune.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunExportTest {
    @TempDir
    Path tmp;

    @Test
    void metricsBecomeCsvPerEventType() throws Exception {
        Path jsonl = tmp.resolve("metrics.jsonl");
        Files.writeString(jsonl, String.join("\n",
                "{\"type\":\"phase\",\"phase\":\"prune\",\"detail\":\"a, b\"}",
                "{\"type\":\"epoch\",\"phase\":\"prune\",\"epoch\":1,\"testAccuracy\":0.9}",
                "{\"type\":\"epoch\",\"phase\":\"finetune\",\"epoch\":1,\"testAccuracy\":0.91,\"rssMiB\":300,"
                        + "\"split\":{\"data\":1.5,\"method\":2}}",
                "{\"type\":\"prune\",\"step\":3,\"tau\":[1.0]}") + "\n");
        Path csv = tmp.resolve("epochs.csv");
        RunExport.metricsCsv(jsonl, "epoch", csv);
        assertThat(Files.readAllLines(csv)).containsExactly("type,phase,epoch,testAccuracy,rssMiB,split.data,split.method",
                "epoch,prune,1,0.9,,,", "epoch,finetune,1,0.91,300,1.5,2");
        RunExport.metricsCsv(jsonl, "phase", csv);
        assertThat(Files.readAllLines(csv).get(1)).isEqualTo("phase,prune,\"a, b\"");
        RunExport.metricsCsv(jsonl, "prune", csv);
        assertThat(Files.readAllLines(csv)).containsExactly("type,step", "prune,3");
    }

    @Test
    void modelCopyNeverOverwrites() throws Exception {
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("model.json"), "{}");
        Files.writeString(model.resolve("model.params"), "x");
        Path target = tmp.resolve("out/copy");
        RunExport.copyModel(model, target);
        assertThat(target.resolve("model.params")).hasContent("x");
        assertThatThrownBy(() -> RunExport.copyModel(model, target)).hasMessageContaining("never overwritten");
        try (var s = Files.list(tmp.resolve("out"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).isEqualTo(List.of("copy"));
        }
        assertThatThrownBy(() -> RunExport.copyModel(tmp, tmp.resolve("x"))).hasMessageContaining("not a model folder");
    }
}
