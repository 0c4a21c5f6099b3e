package io.otprune.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layered drawing of a {@link Graph}, top to bottom (the Sugiyama scheme, kept small): each node's layer is its
 * longest path from the input, so every edge goes down; an edge that spans several layers passes through a narrow
 * slot in each layer between (a dummy), so it is drawn as a polyline around the boxes, not through them; within a
 * layer the boxes are ordered by the mean position of their neighbours (barycentre sweeps, the ordering with the
 * fewest crossings kept). A deep network is one long column, far taller than wide; {@link #wrapped} cuts the layers
 * into bands placed side by side (a band's last layer continues at the next band's top) so that a 60-layer network
 * fits a window at a readable size. Plain geometry in layout units: the view scales it.
 */
public final class GraphLayout {
    public static final double BOX_WIDTH = 150;
    public static final double BOX_HEIGHT = 42;
    /** Width of the slot an edge takes where it passes a layer. */
    public static final double EDGE_SLOT = 14;
    public static final double NODE_GAP = 16;
    public static final double LAYER_GAP = 22;
    public static final double BAND_GAP = 40;
    /** Barycentre sweeps (down and up); a few already remove most crossings of networks. */
    static final int SWEEPS = 4;

    /** A node's box in layout units; {@code layer} counts from the input (layer 0). */
    public record Box(String name, int layer, double x, double y, double width, double height) {
        public boolean contains(double px, double py) {
            return px >= x && px <= x + width && py >= y && py <= y + height;
        }

        public double centerX() {
            return x + width / 2;
        }

        public double centerY() {
            return y + height / 2;
        }

        boolean overlaps(Box o) {
            return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
        }
    }

    /** An edge as a polyline (x0, y0, x1, y1, …) from the bottom of {@code from}'s box to the top of {@code to}'s. */
    public record Edge(String from, String to, double[] points) {}

    /** The layers and their order: what does not depend on the band count. */
    private record Order(List<String> names, int[] layerOf, List<int[]> chains, List<List<Integer>> layers,
            int crossings) {}

    private final Order order;
    private final int bands;
    private final Map<String, Box> boxes = new LinkedHashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    private double width, height;

    private GraphLayout(Order order, int bands) {
        this.order = order;
        this.bands = bands;
        place();
    }

    /** The graph's input and every node, layered and ordered, in one band. */
    public static GraphLayout of(Graph g) {
        return new GraphLayout(order(g), 1);
    }

    /** The same layers and order cut into {@code bands} bands side by side (1: one column). */
    public GraphLayout wrapped(int bands) {
        return new GraphLayout(order, Math.max(1, Math.min(bands, layerCount())));
    }

    /**
     * The band count whose drawing, scaled to fit a view of that size, is drawn largest (ties: fewer bands); the
     * view's aspect ratio decides between one tall column and many short ones.
     */
    public int bandsToFit(double viewWidth, double viewHeight) {
        double[] rows = rowWidths();
        int best = 1;
        double bestScale = -1;
        for (int b = 1; b <= layerCount(); b++) {
            int perBand = (rows.length + b - 1) / b;
            double w = -BAND_GAP;
            for (int start = 0; start < rows.length; start += perBand) {
                double band = 0;
                for (int l = start; l < Math.min(rows.length, start + perBand); l++) {
                    band = Math.max(band, rows[l]);
                }
                w += band + BAND_GAP;
            }
            double s = Math.min(viewWidth / w, viewHeight / (rowTop(perBand) - LAYER_GAP));
            if (s > bestScale + 1e-9) {
                bestScale = s;
                best = b;
            }
        }
        return best;
    }

    /** The width of every layer's row: its boxes and edge slots with the gaps between them. */
    private double[] rowWidths() {
        List<List<Integer>> layers = order.layers();
        double[] rowWidth = new double[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            double w = 0;
            for (int v : layers.get(l)) {
                w += vertexWidth(v);
            }
            rowWidth[l] = w + NODE_GAP * Math.max(0, layers.get(l).size() - 1);
        }
        return rowWidth;
    }

    public int bands() {
        return bands;
    }

    /** Layers from the input (layer 0) to the deepest node. */
    public int layerCount() {
        return order.layers().size();
    }

    /** Boxes of the input and of every node, in the graph's order. */
    public Map<String, Box> boxes() {
        return boxes;
    }

    public Box box(String name) {
        return boxes.get(name);
    }

    public List<Edge> edges() {
        return edges;
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }

    /** Edge crossings between adjacent layers in the chosen order (edges through slots counted per layer). */
    public int crossings() {
        return order.crossings();
    }

    /** The node names of one layer, left to right (edge slots left out). */
    public List<String> layer(int l) {
        List<String> out = new ArrayList<>();
        for (int v : order.layers().get(l)) {
            if (v < order.names().size()) {
                out.add(order.names().get(v));
            }
        }
        return out;
    }

    /** The box at a point, or null. */
    public String nodeAt(double x, double y) {
        for (Box b : boxes.values()) {
            if (b.contains(x, y)) {
                return b.name();
            }
        }
        return null;
    }

    // ---- layers and order ----------------------------------------------------------------------------------------

    private static Order order(Graph g) {
        List<String> names = new ArrayList<>();
        names.add(Graph.INPUT);
        g.nodes().forEach(n -> names.add(n.name()));
        Map<String, Integer> id = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            id.put(names.get(i), i);
        }
        int n = names.size();
        // layers: the longest path from the input
        int[] layerOf = new int[n];
        List<int[]> edgeList = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            Node node = g.nodes().get(i - 1);
            int l = 0;
            for (String in : node.inputs().stream().distinct().toList()) {
                int from = id.get(in);
                edgeList.add(new int[] {from, i});
                l = Math.max(l, layerOf[from] + 1);
            }
            layerOf[i] = l;
        }
        // vertices: the n real ones, then one dummy per layer an edge passes; an edge's chain lists all it visits
        List<Integer> vertexLayer = new ArrayList<>();
        for (int l : layerOf) {
            vertexLayer.add(l);
        }
        List<int[]> chains = new ArrayList<>();
        for (int[] e : edgeList) {
            int span = layerOf[e[1]] - layerOf[e[0]];
            int[] chain = new int[span + 1];
            chain[0] = e[0];
            chain[span] = e[1];
            for (int k = 1; k < span; k++) {
                chain[k] = vertexLayer.size();
                vertexLayer.add(layerOf[e[0]] + k);
            }
            chains.add(chain);
        }
        List<List<Integer>> layers = initialLayers(n, chains, vertexLayer);
        Ordered best = fewerCrossings(layers, chains, vertexLayer.size());
        return new Order(List.copyOf(names), layerOf, chains, best.layers(), best.crossings());
    }

    /**
     * Each layer's vertices in a first order: the graph's own (topological) order, a dummy in the slot just after
     * the vertex its edge comes from.
     */
    private static List<List<Integer>> initialLayers(int real, List<int[]> chains, List<Integer> vertexLayer) {
        int vertices = vertexLayer.size();
        double[] key = new double[vertices];
        for (int v = 0; v < real; v++) {
            key[v] = v;
        }
        for (int[] c : chains) {
            for (int k = 1; k + 1 < c.length; k++) {
                key[c[k]] = c[0] + 0.5;
            }
        }
        int layerCount = vertexLayer.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        List<List<Integer>> layers = new ArrayList<>();
        for (int l = 0; l < layerCount; l++) {
            layers.add(new ArrayList<>());
        }
        for (int v = 0; v < vertices; v++) {
            layers.get(vertexLayer.get(v)).add(v);
        }
        for (List<Integer> layer : layers) {
            layer.sort(Comparator.comparingDouble((Integer v) -> key[v]).thenComparingInt(v -> v));
        }
        return layers;
    }

    /** An order of the layers and its number of edge crossings. */
    private record Ordered(List<List<Integer>> layers, int crossings) {}

    /**
     * Barycentre sweeps, alternately down and up ({@link #SWEEPS}): each vertex moves to the mean position of its
     * neighbours in the layer before; the order with the fewest crossings seen is kept. Sorts {@code layers}.
     */
    private static Ordered fewerCrossings(List<List<Integer>> layers, List<int[]> chains, int vertices) {
        List<List<Integer>> up = new ArrayList<>(), down = new ArrayList<>();
        for (int v = 0; v < vertices; v++) {
            up.add(new ArrayList<>());
            down.add(new ArrayList<>());
        }
        for (int[] c : chains) {
            for (int k = 0; k + 1 < c.length; k++) {
                down.get(c[k]).add(c[k + 1]);
                up.get(c[k + 1]).add(c[k]);
            }
        }
        int layerCount = layers.size();
        double[] key = new double[vertices];
        int[] pos = new int[vertices];
        positions(layers, pos);
        List<List<Integer>> best = copy(layers);
        int bestCrossings = crossings(layers, down, pos);
        for (int sweep = 0; sweep < SWEEPS && bestCrossings > 0; sweep++) {
            boolean downwards = sweep % 2 == 0;
            for (int k = 1; k < layerCount; k++) {
                int l = downwards ? k : layerCount - 1 - k;
                List<List<Integer>> neighbours = downwards ? up : down;
                List<Integer> layer = layers.get(l);
                for (int v : layer) {
                    List<Integer> nb = neighbours.get(v);
                    // no neighbour on that side: keep its place
                    key[v] = nb.isEmpty() ? pos[v] : nb.stream().mapToInt(u -> pos[u]).average().orElse(0);
                }
                layer.sort(Comparator.comparingDouble((Integer v) -> key[v]).thenComparingInt(v -> pos[v]));
                for (int i = 0; i < layer.size(); i++) {
                    pos[layer.get(i)] = i;
                }
            }
            int c = crossings(layers, down, pos);
            if (c < bestCrossings) {
                bestCrossings = c;
                best = copy(layers);
            }
        }
        return new Ordered(best, bestCrossings);
    }

    private static void positions(List<List<Integer>> layers, int[] pos) {
        for (List<Integer> layer : layers) {
            for (int i = 0; i < layer.size(); i++) {
                pos[layer.get(i)] = i;
            }
        }
    }

    private static List<List<Integer>> copy(List<List<Integer>> layers) {
        List<List<Integer>> out = new ArrayList<>();
        layers.forEach(l -> out.add(new ArrayList<>(l)));
        return out;
    }

    /** Pairs of edges between the same two adjacent layers whose ends are in opposite orders. */
    private static int crossings(List<List<Integer>> layers, List<List<Integer>> down, int[] pos) {
        int total = 0;
        for (int l = 0; l + 1 < layers.size(); l++) {
            List<int[]> e = new ArrayList<>();
            for (int v : layers.get(l)) {
                for (int w : down.get(v)) {
                    e.add(new int[] {pos[v], pos[w]});
                }
            }
            for (int i = 0; i < e.size(); i++) {
                for (int j = i + 1; j < e.size(); j++) {
                    long a = Integer.compare(e.get(i)[0], e.get(j)[0]), b = Integer.compare(e.get(i)[1], e.get(j)[1]);
                    if (a * b < 0) {
                        total++;
                    }
                }
            }
        }
        return total;
    }

    // ---- placement -----------------------------------------------------------------------------------------------

    private int layersPerBand() {
        return (layerCount() + bands - 1) / bands;
    }

    private int bandOf(int layer) {
        return layer / layersPerBand();
    }

    private static double rowTop(int rowInBand) {
        return rowInBand * (BOX_HEIGHT + LAYER_GAP);
    }

    private double vertexWidth(int v) {
        return v < order.names().size() ? BOX_WIDTH : EDGE_SLOT;
    }

    private void place() {
        List<List<Integer>> layers = order.layers();
        int perBand = layersPerBand();
        double[] rowWidth = rowWidths();
        double[] bandWidth = new double[bands];
        for (int l = 0; l < layers.size(); l++) {
            bandWidth[bandOf(l)] = Math.max(bandWidth[bandOf(l)], rowWidth[l]);
        }
        double[] bandLeft = new double[bands];
        for (int b = 1; b < bands; b++) {
            bandLeft[b] = bandLeft[b - 1] + bandWidth[b - 1] + BAND_GAP;
        }
        // centre of every vertex (real or slot), rows centred in their band
        Map<Integer, Double> cx = new HashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            int b = bandOf(l);
            double x = bandLeft[b] + (bandWidth[b] - rowWidth[l]) / 2;
            for (int v : layers.get(l)) {
                double w = vertexWidth(v);
                cx.put(v, x + w / 2);
                x += w + NODE_GAP;
            }
        }
        for (int v = 0; v < order.names().size(); v++) {
            int l = order.layerOf()[v];
            boxes.put(order.names().get(v), new Box(order.names().get(v), l, cx.get(v) - BOX_WIDTH / 2,
                    rowTop(l - bandOf(l) * perBand), BOX_WIDTH, BOX_HEIGHT));
        }
        width = bandLeft[bands - 1] + bandWidth[bands - 1];
        height = rowTop(Math.min(perBand, layers.size())) - LAYER_GAP;
        for (int[] chain : order.chains()) {
            edges.add(new Edge(order.names().get(chain[0]), order.names().get(chain[chain.length - 1]),
                    route(chain, cx, bandLeft, bandWidth)));
        }
    }

    /**
     * Points of an edge: down from its source, through each slot vertically (so it never crosses a box's row
     * diagonally), into its target's top; from a band's last layer to the next band's first it runs below the band,
     * up the gap between the two bands and in above the next one.
     */
    private double[] route(int[] chain, Map<Integer, Double> cx, double[] bandLeft, double[] bandWidth) {
        List<Double> p = new ArrayList<>();
        int perBand = layersPerBand();
        int l0 = order.layerOf()[chain[0]];
        p.add(cx.get(chain[0]));
        p.add(rowTop(l0 - bandOf(l0) * perBand) + BOX_HEIGHT);
        for (int k = 1; k < chain.length; k++) {
            int l = l0 + k;
            int b = bandOf(l);
            double top = rowTop(l - b * perBand);
            double x = cx.get(chain[k]);
            if (b != bandOf(l - 1)) {
                double below = p.get(p.size() - 1) + LAYER_GAP / 2;
                double gapX = bandLeft[b] - BAND_GAP / 2;
                double[] turn = {p.get(p.size() - 2), below, gapX, below, gapX, top - LAYER_GAP / 2, x,
                        top - LAYER_GAP / 2};
                for (double t : turn) {
                    p.add(t);
                }
            }
            p.add(x);
            p.add(top);
            if (k < chain.length - 1) {
                p.add(x);
                p.add(top + BOX_HEIGHT);
            }
        }
        return p.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
