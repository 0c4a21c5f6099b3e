package io.otprune.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.otprune.util.Json;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    @Test
    void countsTotalsAccuracyAndRecall() {
        ConfusionMatrix m = ConfusionMatrix.empty(3);
        m.add(new int[] {0, 0, 1, 1, 2, 2, 2}, new int[] {0, 1, 1, 1, 2, 0, 2});
        assertThat(m.total()).isEqualTo(7);
        assertThat(m.correct()).isEqualTo(5);
        assertThat(m.accuracy()).isEqualTo(5 / 7.0);
        assertThat(m.count(0, 1)).isEqualTo(1);
        assertThat(m.support(2)).isEqualTo(3);
        assertThat(m.recall(0)).isEqualTo(0.5);
        assertThat(m.recall(2)).isEqualTo(2 / 3.0);
        assertThat(ConfusionMatrix.empty(2).recall(0)).isNaN();
    }

    @Test
    void recallChangesListTheMostHurtClassFirst() {
        ConfusionMatrix dense = new ConfusionMatrix(new int[][] {{10, 0, 0}, {0, 10, 0}, {0, 0, 10}});
        ConfusionMatrix pruned = new ConfusionMatrix(new int[][] {{9, 1, 0}, {0, 10, 0}, {3, 0, 7}});
        var changes = dense.recallChanges(pruned);
        assertThat(changes).extracting(ConfusionMatrix.RecallChange::classIndex).containsExactly(2, 0, 1);
        assertThat(changes.get(0).points()).isCloseTo(-30, org.assertj.core.data.Offset.offset(1e-9));
        assertThatThrownBy(() -> dense.recallChanges(ConfusionMatrix.empty(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripsThroughJsonAndRefusesNonSquareCounts() {
        ConfusionMatrix m = new ConfusionMatrix(new int[][] {{1, 2}, {3, 4}});
        assertThat(Json.COMPACT.toJson(m)).isEqualTo("{\"counts\":[[1,2],[3,4]]}");
        assertThat(Json.COMPACT.fromJson(Json.COMPACT.toJson(m), ConfusionMatrix.class)).isEqualTo(m);
        assertThatThrownBy(() -> new ConfusionMatrix(new int[][] {{1, 2}})).isInstanceOf(IllegalArgumentException.class);
    }
}
