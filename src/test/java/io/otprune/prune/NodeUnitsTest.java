package io.otprune.prune;

import static org.assertj.core.api.Assertions.assertThat;

import io.otprune.model.Architectures;
import io.otprune.model.Network;
import io.otprune.model.TestGraphs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each node's unit set and channel group, as the run names them (what the graph view colours). */
class NodeUnitsTest {
    @Test
    void setsAreNamedAsTheRunNamesThem() {
        Network net = new Network(Architectures.graph(Architectures.RESNET20, 1, 28, 28, 10));
        NodeUnits u = NodeUnits.of(net);
        for (PruneConfig.Granularity g : PruneConfig.Granularity.values()) {
            List<String> sets = PruneUnits.of(net, g).sets().stream().map(UnitSet::name).toList();
            for (String set : sets) {
                List<String> nodes = u.nodes(set, g);
                assertThat(nodes).as(g + " " + set).isNotEmpty();
                nodes.forEach(n -> assertThat(u.set(n, g)).isEqualTo(set));
            }
            // every node that belongs to a set belongs to one of the run's sets
            net.graph().nodes().stream().map(n -> u.set(n.name(), g)).filter(java.util.Objects::nonNull)
                    .forEach(s -> assertThat(sets).contains(s));
        }
        assertThat(u.set("s1.b1.conv1.bn", PruneConfig.Granularity.UNSTRUCTURED)).isNull();
        assertThat(u.set("s1.b1.conv1.bn", PruneConfig.Granularity.STRUCTURED)).isEqualTo("s1.b1.conv1");
        assertThat(u.set("s1.b1.add", PruneConfig.Granularity.DEPTH)).isNull(); // the addition stays
        assertThat(u.blocks()).hasSize(9);
        assertThat(u.block("s2.b3.conv2.bn")).isEqualTo(5);
        assertThat(u.nodes("no-such-layer", PruneConfig.Granularity.UNSTRUCTURED)).isEmpty();
    }

    @Test
    void groupsSpanAdditionsAndStopAtConcatenations() {
        NodeUnits u = NodeUnits.of(new Network(TestGraphs.mobileNetStyle()));
        // the SE gate's vector is multiplied into the depthwise conv's channels: one group
        assertThat(u.group("b1.se.fc2").members()).contains("b1.expand", "b1.dw", "b1.se.gate", "b1.se.mul");
        // the residual addition ties the projection to the stem
        assertThat(u.group("b1.project")).isSameAs(u.group("stem"));
        assertThat(u.group("b1.add").members()).contains("stem", "stem.act", "b1.project.bn");
        // a concatenation holds two groups: no single group
        assertThat(u.group("b2.cat")).isNull();
        assertThat(u.group("fc2").prunable()).isFalse(); // the logits
        assertThat(u.group("b3.conv1").prunable()).isFalse(); // read by a grouped conv
    }
}
