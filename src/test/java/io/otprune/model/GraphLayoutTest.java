package io.otprune.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The layered drawing of graphs: edges go down a layer or more, boxes never overlap, edges pass beside boxes. */
class GraphLayoutTest {
    static List<Graph> graphs() {
        return List.of(Architectures.graph(Architectures.LENET5, 1, 28, 28, 10),
                Architectures.graph(Architectures.RESNET20, 1, 28, 28, 10), TestGraphs.mobileNetStyle(),
                TestGraphs.resnet(9));
    }

    @Test
    void everyNodeIsLaidOutAndEveryEdgeGoesToALaterLayer() {
        for (Graph g : graphs()) {
            GraphLayout l = GraphLayout.of(g);
            assertThat(l.boxes()).hasSize(g.nodes().size() + 1).containsKey(Graph.INPUT);
            assertThat(l.box(Graph.INPUT).layer()).isZero();
            int edges = 0;
            for (Node n : g.nodes()) {
                for (String in : n.inputs().stream().distinct().toList()) {
                    assertThat(l.box(n.name()).layer()).as(in + " -> " + n.name()).isGreaterThan(l.box(in).layer());
                    edges++;
                }
                // the longest path: one layer below its deepest input
                assertThat(l.box(n.name()).layer()).isEqualTo(1 + n.inputs().stream()
                        .mapToInt(i -> l.box(i).layer()).max().orElseThrow());
            }
            assertThat(l.edges()).hasSize(edges);
        }
    }

    @Test
    void noTwoBoxesOverlapAndNoEdgePassesThroughABox() {
        for (Graph g : graphs()) {
            for (int bands : new int[] {1, 2, 5}) {
                GraphLayout l = GraphLayout.of(g).wrapped(bands);
                List<GraphLayout.Box> boxes = new ArrayList<>(l.boxes().values());
                GraphLayout.Box first = boxes.get(0); // the check below sees a line through a box
                assertThat(crossesInside(first.x() - 1, first.centerY(), first.x() + 5, first.centerY() + 1, first))
                        .isTrue();
                for (int i = 0; i < boxes.size(); i++) {
                    for (int j = i + 1; j < boxes.size(); j++) {
                        assertThat(boxes.get(i).overlaps(boxes.get(j))).as(boxes.get(i) + " / " + boxes.get(j))
                                .isFalse();
                    }
                    assertThat(boxes.get(i).x()).isGreaterThanOrEqualTo(0);
                    assertThat(boxes.get(i).x() + boxes.get(i).width()).isLessThanOrEqualTo(l.width() + 1e-9);
                    assertThat(boxes.get(i).y() + boxes.get(i).height()).isLessThanOrEqualTo(l.height() + 1e-9);
                }
                for (GraphLayout.Edge e : l.edges()) {
                    double[] p = e.points();
                    GraphLayout.Box from = l.box(e.from()), to = l.box(e.to());
                    assertThat(new double[] {p[0], p[1]}).containsExactly(from.centerX(), from.y() + from.height());
                    assertThat(new double[] {p[p.length - 2], p[p.length - 1]}).containsExactly(to.centerX(), to.y());
                    for (int k = 0; k + 3 < p.length; k += 2) {
                        for (GraphLayout.Box b : boxes) {
                            assertThat(crossesInside(p[k], p[k + 1], p[k + 2], p[k + 3], b))
                                    .as(e.from() + " -> " + e.to() + " crosses " + b.name()).isFalse();
                        }
                    }
                }
            }
        }
    }

    /** Whether a segment passes through a box's inside (touching its border is fine): Liang-Barsky clipping. */
    static boolean crossesInside(double x0, double y0, double x1, double y1, GraphLayout.Box b) {
        double eps = 1e-6;
        double[] p = {-(x1 - x0), x1 - x0, -(y1 - y0), y1 - y0};
        double[] q = {x0 - (b.x() + eps), b.x() + b.width() - eps - x0, y0 - (b.y() + eps),
                b.y() + b.height() - eps - y0};
        double t0 = 0, t1 = 1;
        for (int i = 0; i < 4; i++) {
            if (p[i] == 0) {
                if (q[i] <= 0) {
                    return false;
                }
            } else {
                double t = q[i] / p[i];
                if (p[i] < 0) {
                    t0 = Math.max(t0, t);
                } else {
                    t1 = Math.min(t1, t);
                }
            }
        }
        return t0 < t1;
    }

    @Test
    void theSameGraphGivesTheSameDrawing() {
        Graph g = TestGraphs.resnet(9);
        GraphLayout a = GraphLayout.of(g).wrapped(4), b = GraphLayout.of(TestGraphs.resnet(9)).wrapped(4);
        assertThat(b.boxes()).isEqualTo(a.boxes());
        for (int i = 0; i < a.edges().size(); i++) {
            assertThat(b.edges().get(i).points()).containsExactly(a.edges().get(i).points());
        }
    }

    @Test
    void barycentreOrderingUndoesCrossingsOfTheGraphsOwnOrder() {
        // the node list reads b's ReLU before a's: in that order the two edges into layer 2 cross
        GraphBuilder gb = new GraphBuilder(1, 8, 8);
        String a = gb.conv("a", Graph.INPUT, 4, 3, 1, 1, false);
        String b = gb.conv("b", Graph.INPUT, 4, 3, 1, 1, false);
        String rb = gb.relu("b.relu", b);
        String ra = gb.relu("a.relu", a);
        String sum = gb.add("sum", new Ops.Add(), ra, rb);
        GraphLayout l = GraphLayout.of(gb.build(gb.linear("fc", gb.flatten("flatten", sum), 10, true)));
        assertThat(l.layer(1)).containsExactly("a", "b");
        assertThat(l.layer(2)).containsExactly("a.relu", "b.relu");
        assertThat(l.crossings()).isZero();
        // residual networks draw without crossings too
        assertThat(GraphLayout.of(TestGraphs.resnet(3)).crossings()).isZero();
    }

    @Test
    void aDeepNetworkIsCutIntoBandsThatFitAWideView() {
        GraphLayout l = GraphLayout.of(TestGraphs.resnet(9)); // 199 nodes, ~200 layers
        assertThat(l.layerCount()).isGreaterThan(100);
        int bands = l.bandsToFit(1600, 1000);
        assertThat(bands).isGreaterThan(1);
        GraphLayout w = l.wrapped(bands);
        double fitted = Math.min(1600 / w.width(), 1000 / w.height()), column = Math.min(1600 / l.width(),
                1000 / l.height());
        assertThat(fitted).isGreaterThan(3 * column);
        for (int b = 1; b <= l.layerCount(); b++) { // the chosen count is the best of all
            GraphLayout o = l.wrapped(b);
            assertThat(Math.min(1600 / o.width(), 1000 / o.height())).isLessThanOrEqualTo(fitted);
        }
        // a band's layers follow one another: layer k in band k / perBand
        Map<String, GraphLayout.Box> boxes = w.boxes();
        assertThat(boxes.get("fc").x()).isGreaterThan(boxes.get(Graph.INPUT).x());
        assertThat(boxes.get("fc").y()).isLessThan(w.height());
    }
}
