package io.otprune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep run in parts into one folder: its tables hold every finished run with the same settings. */
class SweepCliTest {
    @TempDir
    Path tmp;

    private CliTest.Result sweep(String method, String sparsity, String... more) {
        List<String> args = new ArrayList<>(List.of("sweep", "--models", "sample-models/mlp-300-100-fmnist",
                "--methods", method, "--sparsities", sparsity, "--seeds", "1", "--data", "fashion-mnist-small",
                "--prune-epochs", "0", "--finetune-epochs", "0", "--device", "cpu", "--out",
                tmp.resolve("sweep").toString()));
        args.addAll(List.of(more));
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void partsOfAProtocolAddUpAndOtherSettingsStayOut() throws Exception {
        CliTest.Result first = sweep("magnitude", "0.5");
        assertThat(first.code()).as(first.err()).isZero();
        CliTest.Result second = sweep("random", "0.5", "--force");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("also hold 1 finished run(s) of earlier sweeps");
        String md = Files.readString(tmp.resolve("sweep/results.md"));
        assertThat(md).contains("| mlp-300-100 | magnitude | 0.50 | 1 |").contains("| mlp-300-100 | random | 0.50 | 1 |");
        assertThat(Files.readAllLines(tmp.resolve("sweep/results.csv"))).hasSize(3);

        // settings a method does not read (magnitude and random learn no scores) do not set its runs apart: --force
        // keeps them, and the tables still hold both
        CliTest.Result unread = sweep("random", "0.5", "--force", "--score-lr", "0.01", "--score-step", "set");
        assertThat(unread.code()).as(unread.err()).isZero();
        assertThat(unread.out()).contains("also hold 1 finished run(s) of earlier sweeps").doesNotContain("left out");
        assertThat(Files.readString(tmp.resolve("sweep/results.md"))).contains("| mlp-300-100 | magnitude | 0.50 | 1 |")
                .contains("| mlp-300-100 | random | 0.50 | 1 |")
                // the header says whom the score settings concern: neither row here was made with them
                .contains("for methods that learn scores (dtp), temperature auto, score learning rate 0.01, score step set");

        // a run of other settings (here the transport problems' scope, which every method reads) is not averaged
        // with them
        CliTest.Result other = sweep("random", "0.6", "--force", "--scope", "layer");
        assertThat(other.code()).as(other.err()).isZero();
        assertThat(other.out()).contains("left out of the tables").contains("mlp-300-100-fmnist-magnitude-0.5-s1")
                .contains("mlp-300-100-fmnist-random-0.5-s1");
        String md2 = Files.readString(tmp.resolve("sweep/results.md"));
        assertThat(md2).contains("layer scope").contains("| mlp-300-100 | random | 0.60 |").doesNotContain("| magnitude |")
                .doesNotContain("| random | 0.50 |");

        // --force keeps a finished run only when it was made as this sweep would make it
        CliTest.Result clash = sweep("magnitude", "0.5", "--force", "--scope", "layer");
        assertThat(clash.code()).isEqualTo(2);
        assertThat(clash.err().strip().lines()).hasSize(1);
        assertThat(clash.err()).contains("mlp-300-100-fmnist-magnitude-0.5-s1").contains("other settings");
    }
}
