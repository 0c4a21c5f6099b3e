package io.otprune.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.otprune.prune.PruneConfig;
import io.otprune.util.Json;
import org.junit.jupiter.api.Test;

/** A run's pruning options survive run.json and reappear in the command that reproduces it. */
class PruneRunConfigTest {

    private static PruneRunConfig run(PruneConfig pc) {
        return PruneRunConfig.builder().model("sample-models/resnet20-fmnist").prune(pc).build();
    }

    @Test
    void theTauGradientIsRecordedAndReproduced() {
        PruneConfig implicit = PruneConfig.builder().granularity("depth").sparsity(0.5).tauGradient("implicit").build();
        PruneRunConfig cfg = run(implicit);
        assertThat(cfg.command()).endsWith(" --tau-gradient implicit");
        PruneRunConfig back = Json.PRETTY.fromJson(Json.PRETTY.toJson(cfg), PruneRunConfig.class);
        assertThat(back.prune().tauGradient()).isEqualTo(PruneConfig.TauGradient.IMPLICIT);
        assertThat(back).isEqualTo(cfg);
        // spelled out at either value, so a command keeps its meaning if the default changes
        PruneRunConfig fixed = run(implicit.toBuilder().tauGradient(PruneConfig.TauGradient.FIXED).build());
        assertThat(fixed.command()).endsWith(" --tau-gradient fixed");
    }

    @Test
    void theDefaultTauGradientIsTheGranularitys() {
        for (PruneConfig.Granularity g : PruneConfig.Granularity.values()) {
            PruneConfig pc = PruneConfig.builder().granularity(g).sparsity(0.5).build();
            assertThat(pc.tauGradient()).as("%s", g).isEqualTo(PruneConfig.TauGradient.defaultFor(g));
        }
        // implicit for every granularity since session 23 (docs/benchmarks.md §12); the CLI's help text says so
        for (PruneConfig.Granularity g : PruneConfig.Granularity.values()) {
            assertThat(PruneConfig.TauGradient.defaultFor(g)).as("%s", g).isEqualTo(PruneConfig.TauGradient.IMPLICIT);
        }
        assertThat(PruneConfig.TAU_GRADIENT_DEFAULT_TEXT).isEqualTo(PruneConfig.word(PruneConfig.TauGradient.IMPLICIT));
        // a word given wins over the default; null (the CLI without the option) is the default
        assertThat(PruneConfig.builder().granularity("structured").tauGradient("fixed").build().tauGradient())
                .isEqualTo(PruneConfig.TauGradient.FIXED);
        assertThat(PruneConfig.builder().tauGradient((String) null).build().tauGradient())
                .isEqualTo(PruneConfig.TauGradient.IMPLICIT);
    }

    @Test
    void runJsonWithoutTheTauGradientMeansFixed() {
        // run.json files written before the option existed have no field: their runs held τ fixed
        JsonObject o = Json.PRETTY.toJsonTree(run(PruneConfig.builder().tauGradient("implicit").build()))
                .getAsJsonObject();
        o.getAsJsonObject("prune").remove("tauGradient");
        PruneRunConfig old = Json.PRETTY.fromJson(o, PruneRunConfig.class);
        assertThat(old.prune().tauGradient()).isEqualTo(PruneConfig.TauGradient.FIXED);
    }

    @Test
    void theDefaultScoreStepIsTheGranularitysAndIsSpelledOut() {
        for (PruneConfig.Granularity g : PruneConfig.Granularity.values()) {
            PruneConfig pc = PruneConfig.builder().granularity(g).sparsity(0.5).build();
            assertThat(pc.scoreStep()).as("%s", g).isEqualTo(PruneConfig.ScoreStep.defaultFor(g));
            assertThat(run(pc).command()).contains(" --score-step " + PruneConfig.word(pc.scoreStep()) + " ");
        }
        assertThat(PruneConfig.ScoreStep.defaultFor(PruneConfig.Granularity.STRUCTURED))
                .isEqualTo(PruneConfig.ScoreStep.SET);
        PruneConfig.ScoreStep weights = PruneConfig.ScoreStep.defaultFor(PruneConfig.Granularity.UNSTRUCTURED);
        assertThat(PruneConfig.ScoreStep.defaultFor(PruneConfig.Granularity.DEPTH)).isEqualTo(weights);
        assertThat(PruneConfig.SCORE_STEP_DEFAULT_TEXT).isEqualTo(PruneConfig.word(PruneConfig.ScoreStep.defaultFor(
                PruneConfig.Granularity.STRUCTURED)) + " for structured, " + PruneConfig.word(weights)
                + " for unstructured and depth");
        // a word given wins; run.json files from before the option mean unit, what those runs did
        assertThat(PruneConfig.builder().granularity("structured").scoreStep("unit").build().scoreStep())
                .isEqualTo(PruneConfig.ScoreStep.UNIT);
        JsonObject o = Json.PRETTY.toJsonTree(run(PruneConfig.builder().granularity("structured").build()))
                .getAsJsonObject();
        o.getAsJsonObject("prune").remove("scoreStep");
        assertThat(Json.PRETTY.fromJson(o, PruneRunConfig.class).prune().scoreStep())
                .isEqualTo(PruneConfig.ScoreStep.UNIT);
    }
}
