package io.otprune.ui;

import io.otprune.model.Graph;
import io.otprune.model.GraphLayout;
import io.otprune.model.Node;
import io.otprune.model.Ops;
import io.otprune.prune.NodeUnits;
import io.otprune.prune.PruneConfig;
import io.otprune.train.RunEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.CycleMethod;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Stop;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * The loaded network drawn as a layered graph ({@link GraphLayout}) on a canvas: op and output shape on each node,
 * each node of a unit set filled by its kept fraction (the run's hard masks once a run has sent one, the preview's
 * magnitude selection before), the branches of removed residual blocks grey. Hovering a node outlines every node of
 * its channel group; clicking one sets {@link WorkbenchViewModel#selectedLayer} to its unit set, which the histogram
 * and mask views follow. Scroll to zoom, drag to pan, Fit to see it all (the layers cut into bands side by side).
 *
 * <p>Drawing is one pass over boxes in view (a few hundred canvas calls), done once per change and only while the
 * view is showing: run events recolour it only when a node's colour changes, which keeps it out of the FX pulse
 * budget (UiPerformance) during a run.
 */
public final class GraphView extends BorderPane implements WorkbenchView {
    static final Color BACKGROUND = Color.web("#f7f7f7");
    static final Color EDGE = Color.web("#8a8a8a");
    static final Color NO_UNIT = Color.WHITE;
    static final Color REMOVED = Color.web("#9e9e9e");
    static final Color GROUP = Color.web("#1f78b4");
    static final Color SELECTED = Color.BLACK;
    /** Kept fraction 0, ½, 1 (a sequential scale whose lightness also carries it, for colour-blind eyes). */
    private static final Color[] KEPT = {Color.web("#a50026"), Color.web("#f46d43"), Color.web("#fee08b")};
    private static final double MIN_SCALE = 0.03, MAX_SCALE = 4, MAX_FIT_SCALE = 1.25, MARGIN = 12;
    private static final Font NAME_FONT = Font.font("System", FontWeight.BOLD, 11);
    private static final Font NAME_ONLY_FONT = Font.font("System", FontWeight.BOLD, 17);
    private static final Font DETAIL_FONT = Font.font("System", 10);

    private final WorkbenchViewModel vm;
    private final Canvas canvas = new Canvas();
    private final Pane holder = new Pane(canvas);
    private final Label info = new Label("");
    private final Label source = new Label("");

    private Graph graph;
    private NodeUnits units;
    private GraphLayout base;
    private GraphLayout layout;
    private double scale = 1, tx, ty;
    private boolean needsFit;
    private String help = "";
    private boolean moved; // zoomed or panned since the last fit

    // colouring: kept fraction per node, nodes of removed blocks
    private Map<String, Double> kept = Map.of();
    private Set<String> removed = Set.of();
    private String hovered;
    private Set<String> highlighted = Set.of();
    private String clicked;
    private Set<String> selected = Set.of();

    private boolean drawScheduled;
    private boolean dirty;
    /** Something other than node colours changed (graph, size, zoom, outlines): the next draw redraws everything. */
    private boolean fullDraw = true;
    /** Nodes whose colour or kept text changed since the last draw (redrawn alone when nothing else changed). */
    private final Set<String> recoloured = new HashSet<>();
    private int boxesInLastDraw;
    private final List<String> drawn = new ArrayList<>();
    private long lastDrawNanos;
    private int draws;
    private double pressX, pressY, pressTx, pressTy;

    @Override
    public javafx.scene.Node node() {
        return this;
    }

    public GraphView(WorkbenchViewModel vm) {
        this.vm = vm;
        setId("graphView");
        canvas.setId("graphCanvas");
        holder.setMinSize(0, 0);
        holder.setPrefSize(600, 400);
        canvas.widthProperty().bind(holder.widthProperty());
        canvas.heightProperty().bind(holder.heightProperty());
        canvas.widthProperty().addListener(o -> sizeChanged());
        canvas.heightProperty().addListener(o -> sizeChanged());
        // a tab hides its content by hiding a parent: shown again, it draws what changed meanwhile
        ViewParts.whenShown(this, this::requestDraw);
        setCenter(holder);
        setTop(toolbar());
        info.setId("graphInfo");
        info.setPadding(new Insets(2, 6, 2, 6));
        setBottom(info);
        mouse();

        vm.model.addListener((o, a, m) -> show(m == null ? null : m.info().graph(), m == null ? null
                : m.nodeUnits()));
        vm.chartVersion.addListener(o -> recolour());
        vm.preview.addListener(o -> recolour());
        vm.granularity.addListener(o -> {
            recolour();
            select(vm.selectedLayer.get());
        });
        vm.selectedLayer.addListener((o, a, s) -> select(s));
        ModelPreview m = vm.model.get();
        if (m != null) {
            show(m.info().graph(), m.nodeUnits());
        }
    }

    private HBox toolbar() {
        Button out = new Button("−");
        out.setId("graphZoomOut");
        out.setTooltip(new Tooltip("Zoom out (or scroll)"));
        out.setOnAction(e -> zoomBy(1 / 1.25, canvas.getWidth() / 2, canvas.getHeight() / 2));
        Button in = new Button("+");
        in.setId("graphZoomIn");
        in.setTooltip(new Tooltip("Zoom in (or scroll)"));
        in.setOnAction(e -> zoomBy(1.25, canvas.getWidth() / 2, canvas.getHeight() / 2));
        Button fit = new Button("Fit");
        fit.setId("graphFit");
        fit.setTooltip(new Tooltip("Show the whole network (deep networks in bands side by side); drag to pan"));
        fit.setOnAction(e -> {
            fit();
            requestDraw();
        });
        Rectangle scaleBar = new Rectangle(90, 12, new LinearGradient(0, 0, 1, 0, true, CycleMethod.NO_CYCLE,
                new Stop(0, KEPT[0]), new Stop(0.5, KEPT[1]), new Stop(1, KEPT[2])));
        scaleBar.setStroke(Color.GRAY);
        source.setId("graphSource");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(6, out, in, fit, spacer, new Label("kept 0%"), scaleBar, new Label("100%"),
                swatch(REMOVED, Color.GRAY, 1), new Label("removed block"), swatch(NO_UNIT, Color.GRAY, 1),
                new Label("not pruned"), swatch(NO_UNIT, GROUP, 3), new Label("channel group"), source);
        bar.setId("graphLegend");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 6, 4, 6));
        return bar;
    }

    private static Rectangle swatch(Color fill, Color stroke, double width) {
        Rectangle r = new Rectangle(16, 12, fill);
        r.setStroke(stroke);
        r.setStrokeWidth(width);
        return r;
    }

    // ---- data ----------------------------------------------------------------------------------------------------

    /** Lays out a graph (null: none) with its units, and fits it into the view once it has a size. */
    void show(Graph g, NodeUnits u) {
        graph = g;
        units = u;
        base = g == null ? null : GraphLayout.of(g);
        layout = base;
        hovered = null;
        clicked = null;
        highlighted = Set.of();
        needsFit = true;
        kept = Map.of();
        removed = Set.of();
        recolour();
        select(vm.selectedLayer.get());
        help = g == null ? "" : String.format(Locale.ROOT, "%d nodes in %d layers · hover a node for its channel "
                + "group, click it to show its layer in the histogram and mask views", g.nodes().size(),
                base.layerCount());
        info.setText(help);
        requestDraw();
    }

    /**
     * Kept fraction per node from the latest run event of the current granularity's sets, else from the preview;
     * draws only when a node's colour changes (a prune event that moved no mask across ½ draws nothing).
     */
    private void recolour() {
        Map<String, Double> k = new HashMap<>();
        Set<String> r = new HashSet<>();
        String from = "";
        ModelPreview m = vm.model.get();
        if (units != null && m != null && m.info().graph() == graph) {
            PruneConfig.Granularity g = vm.granularity.get();
            List<String> sets = m.setNames(g);
            Map<String, Double> perSet = new HashMap<>();
            RunEvent.Prune p = vm.lastPrune();
            ModelPreview.Outcome o = vm.preview.get();
            if (p != null && new HashSet<>(p.sets()).equals(new HashSet<>(sets))) {
                for (int i = 0; i < p.sets().size(); i++) {
                    perSet.put(p.sets().get(i), p.setKeptHard().get(i));
                }
                from = "run (mask > 0.5)";
            } else if (o != null && o.error() == null && o.layers().equals(sets)) {
                for (int i = 0; i < o.layers().size(); i++) {
                    perSet.put(o.layers().get(i), o.keptFraction().get(i));
                }
                from = "preview (magnitudes)";
            }
            if (g == PruneConfig.Granularity.DEPTH) {
                // one set for all blocks: each block's own mask value, a block below ½ removed
                RunEvent.Mask mask = vm.mask(io.otprune.prune.DepthUnits.SET_NAME);
                if (mask != null && mask.values().length == units.blocks().size()) {
                    for (int b = 0; b < units.blocks().size(); b++) {
                        for (String n : units.blocks().get(b).branch()) {
                            if (mask.values()[b] < 0.5) {
                                r.add(n);
                            } else {
                                k.put(n, (double) mask.values()[b]);
                            }
                        }
                    }
                    from = mask.hard() ? "run (blocks removed)" : "run (block masks)";
                } else {
                    from = "";
                }
            } else {
                perSet.forEach((set, f) -> units.nodes(set, g).forEach(n -> k.put(n, f)));
            }
        }
        source.setText(from.isEmpty() ? "" : "· " + from);
        if (!k.equals(kept) || !r.equals(removed)) {
            Set<String> changed = new HashSet<>();
            for (String n : union(k.keySet(), kept.keySet())) {
                if (!Objects.equals(k.get(n), kept.get(n))) {
                    changed.add(n);
                }
            }
            for (String n : union(r, removed)) {
                if (r.contains(n) != removed.contains(n)) {
                    changed.add(n);
                }
            }
            kept = k;
            removed = r;
            recoloured.addAll(changed);
            scheduleDraw();
        }
    }

    /** Outlines the nodes of a unit set (the histogram's layer), and the clicked node. */
    private void select(String set) {
        Set<String> s = new LinkedHashSet<>();
        if (units != null && set != null && vm.granularity.get() != PruneConfig.Granularity.DEPTH) {
            s.addAll(units.nodes(set, vm.granularity.get()));
        }
        if (clicked != null) {
            s.add(clicked);
        }
        if (!s.equals(selected)) {
            selected = s;
            requestDraw();
        }
    }

    private void hover(String node) {
        if (java.util.Objects.equals(node, hovered)) {
            return;
        }
        hovered = node;
        NodeUnits.Group g = node == null || units == null ? null : units.group(node);
        highlighted = g == null ? Set.of() : new LinkedHashSet<>(g.members());
        info.setText(node == null ? help : describe(node, g));
        requestDraw();
    }

    private void click(String node) {
        clicked = node;
        String set = node == null || units == null ? null : units.set(node, vm.granularity.get());
        if (set != null) {
            vm.selectedLayer.set(set);
        }
        select(vm.selectedLayer.get());
    }

    private String describe(String node, NodeUnits.Group g) {
        StringBuilder sb = new StringBuilder(node).append(" · ").append(opText(node)).append(" · ")
                .append(shapeText(node));
        if (g != null) {
            sb.append(String.format(Locale.ROOT, " · channel group %s: %d channels, %d nodes%s", g.name(), g.size(),
                    g.members().size(), g.prunable() ? "" : " (fixed)"));
        }
        Double k = kept.get(node);
        if (removed.contains(node)) {
            sb.append(" · block removed");
        } else if (k != null) {
            sb.append(String.format(Locale.ROOT, " · kept %.1f%%", 100 * k));
        }
        String set = units == null ? null : units.set(node, vm.granularity.get());
        sb.append(set == null ? " · not a unit of " + vm.granularity.get().name().toLowerCase(Locale.ROOT)
                + " pruning" : " · click to show " + set);
        return sb.toString();
    }

    private String opText(String node) {
        if (node.equals(Graph.INPUT)) {
            return "input";
        }
        Node n = graph.node(node);
        if (n.op() instanceof Ops.Conv c) {
            return (c.depthwise() ? "dw-conv " : "conv ") + c.kernel()[0] + "×" + c.kernel()[1]
                    + (c.stride()[0] > 1 ? " /" + c.stride()[0] : "")
                    + (c.groups() > 1 && !c.depthwise() ? " g" + c.groups() : "");
        }
        return n.op().type();
    }

    private String shapeText(String node) {
        return java.util.Arrays.stream(graph.shape(node)).mapToObj(Integer::toString)
                .collect(Collectors.joining("×"));
    }

    /** The fill of a node: its kept fraction's colour, grey when its block is removed, white when no unit. */
    Color fillOf(String node) {
        if (removed.contains(node)) {
            return REMOVED;
        }
        Double k = kept.get(node);
        return k == null ? NO_UNIT : keptColor(k);
    }

    static Color keptColor(double k) {
        double t = Math.max(0, Math.min(1, k));
        return t < 0.5 ? KEPT[0].interpolate(KEPT[1], t * 2) : KEPT[1].interpolate(KEPT[2], (t - 0.5) * 2);
    }

    // ---- view: zoom, pan, fit --------------------------------------------------------------------------------------

    /** A resized view fits the graph again until the person zooms or pans. */
    private void sizeChanged() {
        if (!moved) {
            needsFit = true;
        }
        requestDraw();
    }

    /** Chooses the band count and scale that show the whole graph largest in the view. */
    private void fit() {
        double w = canvas.getWidth(), h = canvas.getHeight();
        if (base == null || w <= 0 || h <= 0) {
            return;
        }
        double pad = GraphLayout.LAYER_GAP; // edges between bands run half a gap outside the boxes
        double vw = Math.max(1, w - 2 * MARGIN), vh = Math.max(1, h - 2 * MARGIN);
        layout = base.wrapped(base.bandsToFit(vw, vh));
        double lw = layout.width() + 2 * pad, lh = layout.height() + 2 * pad;
        scale = Math.max(MIN_SCALE, Math.min(MAX_FIT_SCALE, Math.min(vw / lw, vh / lh)));
        tx = (w - layout.width() * scale) / 2;
        ty = (h - layout.height() * scale) / 2;
        needsFit = false;
        moved = false;
        hovered = null;
        highlighted = Set.of();
    }

    private void zoomBy(double factor, double px, double py) {
        double s = Math.max(MIN_SCALE, Math.min(MAX_SCALE, scale * factor));
        tx = px - (px - tx) * (s / scale);
        ty = py - (py - ty) * (s / scale);
        scale = s;
        moved = true;
        requestDraw();
    }

    private String nodeAtScreen(double x, double y) {
        return layout == null ? null : layout.nodeAt((x - tx) / scale, (y - ty) / scale);
    }

    private void mouse() {
        canvas.addEventHandler(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() != 0) {
                zoomBy(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
            }
            e.consume();
        });
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            pressX = e.getX();
            pressY = e.getY();
            pressTx = tx;
            pressTy = ty;
        });
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            tx = pressTx + e.getX() - pressX;
            ty = pressTy + e.getY() - pressY;
            moved = true;
            requestDraw();
        });
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(nodeAtScreen(e.getX(), e.getY())));
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover(null));
        canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.isStillSincePress()) {
                click(nodeAtScreen(e.getX(), e.getY()));
            }
        });
    }

    // ---- drawing -------------------------------------------------------------------------------------------------

    /**
     * While a run goes, recolouring draws at most once per this many ms. Each draw of the canvas is cheap on the FX
     * thread (1–16 ms) but is rasterised again by the renderer thread, and with software rendering (Xvfb, the
     * benchmarks' 2-core machine) that work delayed the next pulses: at every prune event (twice a second) the Graph
     * tab made 55 of 414 pulses exceed 50 ms (docs/benchmarks.md §11).
     */
    static final long RUN_REDRAW_MS = Long.getLong("otprune.graphRedrawMs", 2000);
    private long lastRunDraw;

    /**
     * Draws once after the current event, however many changes it made, and only while the view shows; during a run
     * at most once per {@link #RUN_REDRAW_MS} (the last change is always drawn).
     */
    private void requestDraw() {
        fullDraw = true;
        scheduleDraw();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private void scheduleDraw() {
        dirty = true;
        if (drawScheduled) {
            return;
        }
        drawScheduled = true;
        long wait = vm.running.get() ? lastRunDraw + RUN_REDRAW_MS - System.currentTimeMillis() : 0;
        Runnable go = () -> {
            drawScheduled = false;
            if (dirty && showing()) {
                if (vm.running.get()) {
                    lastRunDraw = System.currentTimeMillis();
                }
                draw();
            }
        };
        if (wait <= 0) {
            Platform.runLater(go);
        } else {
            // not an animation: that would keep the FX thread pulsing at 60 Hz while it waits
            java.util.concurrent.CompletableFuture.delayedExecutor(wait, java.util.concurrent.TimeUnit.MILLISECONDS,
                    Platform::runLater).execute(go);
        }
    }

    private boolean showing() {
        return canvas.getWidth() > 0 && canvas.getHeight() > 0 && ViewParts.showing(this);
    }

    private void draw() {
        long t0 = System.nanoTime();
        dirty = false;
        boolean fitted = needsFit;
        if (needsFit) {
            fit();
        }
        GraphicsContext gc = canvas.getGraphicsContext2D();
        if (!fullDraw && !fitted && layout != null) {
            redrawBoxes(gc);
            draws++;
            lastDrawNanos = System.nanoTime() - t0;
            return;
        }
        fullDraw = false;
        recoloured.clear();
        boxesInLastDraw = 0;
        double w = canvas.getWidth(), h = canvas.getHeight();
        gc.setTransform(1, 0, 0, 1, 0, 0);
        gc.clearRect(0, 0, w, h); // covering the canvas, it also drops the commands of earlier draws
        gc.setFill(BACKGROUND);
        gc.fillRect(0, 0, w, h);
        drawn.clear();
        if (layout != null) {
            gc.setTransform(scale, 0, 0, scale, tx, ty);
            double x0 = -tx / scale, y0 = -ty / scale, x1 = (w - tx) / scale, y1 = (h - ty) / scale;
            gc.setStroke(EDGE);
            gc.setLineWidth(1.2 / scale);
            for (GraphLayout.Edge e : layout.edges()) {
                polyline(gc, e.points(), x0, y0, x1, y1);
            }
            int text = textLevel();
            for (GraphLayout.Box b : layout.boxes().values()) {
                if (b.x() > x1 || b.x() + b.width() < x0 || b.y() > y1 || b.y() + b.height() < y0) {
                    continue;
                }
                box(gc, b, text);
                drawn.add(b.name());
                boxesInLastDraw++;
            }
        }
        gc.setTransform(1, 0, 0, 1, 0, 0);
        draws++;
        lastDrawNanos = System.nanoTime() - t0;
    }

    /** Full labels while their 10-unit detail line is at least 6 px; then names only, larger; then none. */
    private int textLevel() {
        return scale >= 0.6 ? 2 : scale >= 0.3 ? 1 : 0;
    }

    /**
     * Redraws only the recoloured boxes in view, each over a rectangle of whole device pixels around its box and
     * outline: the background, the pieces of edges inside that rectangle, then the box. A canvas keeps what was drawn
     * and its renderer rasterises only the new commands, so a run's recolour costs the render thread a few boxes
     * instead of the whole graph (whose software rasterisation made pulses of up to 72 ms with the Graph tab open
     * during a run, docs/benchmarks.md §11). No canvas clip: each clip costs a mask the size of the whole canvas
     * (measured: clipped box redraws took the render thread 51-59 ms, more than the full draw).
     */
    private void redrawBoxes(GraphicsContext gc) {
        boxesInLastDraw = 0;
        int text = textLevel();
        Set<String> inView = new HashSet<>(drawn);
        for (String n : recoloured) {
            GraphLayout.Box b = layout.box(n);
            if (b == null || !inView.contains(n)) {
                continue;
            }
            // device pixels: the box, its widest outline (4 px) and a pixel of antialiasing
            double dx0 = Math.floor(tx + b.x() * scale - 3), dy0 = Math.floor(ty + b.y() * scale - 3);
            double dx1 = Math.ceil(tx + (b.x() + b.width()) * scale + 3);
            double dy1 = Math.ceil(ty + (b.y() + b.height()) * scale + 3);
            gc.setTransform(1, 0, 0, 1, 0, 0);
            gc.setFill(BACKGROUND);
            gc.fillRect(dx0, dy0, dx1 - dx0, dy1 - dy0);
            gc.setTransform(scale, 0, 0, scale, tx, ty);
            double x0 = (dx0 - tx) / scale, y0 = (dy0 - ty) / scale, x1 = (dx1 - tx) / scale, y1 = (dy1 - ty) / scale;
            gc.setStroke(EDGE);
            gc.setLineWidth(1.2 / scale);
            gc.setLineCap(javafx.scene.shape.StrokeLineCap.BUTT); // cut exactly at the rectangle's side
            for (GraphLayout.Edge e : layout.edges()) {
                double[] p = e.points();
                for (int i = 0; i + 3 < p.length; i += 2) {
                    double[] c = clipSegment(p[i], p[i + 1], p[i + 2], p[i + 3], x0, y0, x1, y1);
                    if (c != null) {
                        gc.strokeLine(c[0], c[1], c[2], c[3]);
                    }
                }
            }
            gc.setLineCap(javafx.scene.shape.StrokeLineCap.SQUARE);
            box(gc, b, text);
            boxesInLastDraw++;
        }
        recoloured.clear();
        gc.setTransform(1, 0, 0, 1, 0, 0);
    }

    /** The part of segment (ax, ay)–(bx, by) inside the rectangle (Liang–Barsky), or null when none is. */
    static double[] clipSegment(double ax, double ay, double bx, double by, double x0, double y0, double x1,
            double y1) {
        double dx = bx - ax, dy = by - ay, t0 = 0, t1 = 1;
        double[] p = {-dx, dx, -dy, dy}, q = {ax - x0, x1 - ax, ay - y0, y1 - ay};
        for (int i = 0; i < 4; i++) {
            if (p[i] == 0) {
                if (q[i] < 0) {
                    return null;
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
        return t0 > t1 ? null : new double[] {ax + t0 * dx, ay + t0 * dy, ax + t1 * dx, ay + t1 * dy};
    }

    private static void polyline(GraphicsContext gc, double[] p, double x0, double y0, double x1, double y1) {
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int i = 0; i < p.length; i += 2) {
            minX = Math.min(minX, p[i]);
            maxX = Math.max(maxX, p[i]);
            minY = Math.min(minY, p[i + 1]);
            maxY = Math.max(maxY, p[i + 1]);
        }
        if (minX > x1 || maxX < x0 || minY > y1 || maxY < y0) {
            return;
        }
        gc.beginPath();
        gc.moveTo(p[0], p[1]);
        for (int i = 2; i < p.length; i += 2) {
            gc.lineTo(p[i], p[i + 1]);
        }
        gc.stroke();
    }

    private void box(GraphicsContext gc, GraphLayout.Box b, int text) {
        String n = b.name();
        Color fill = fillOf(n);
        gc.setFill(fill);
        gc.fillRoundRect(b.x(), b.y(), b.width(), b.height(), 8, 8);
        boolean group = highlighted.contains(n), chosen = selected.contains(n);
        gc.setStroke(chosen ? SELECTED : group ? GROUP : Color.GRAY);
        gc.setLineWidth((chosen || group ? (n.equals(hovered) || chosen && group ? 4 : 3) : 1) / scale);
        if (removed.contains(n)) {
            gc.setLineDashes(4 / scale);
        }
        gc.strokeRoundRect(b.x(), b.y(), b.width(), b.height(), 8, 8);
        gc.setLineDashes();
        if (text == 0) {
            return;
        }
        boolean dark = fill.getBrightness() * (1 - 0.5 * fill.getSaturation()) < 0.55;
        gc.setFill(removed.contains(n) ? Color.web("#eeeeee") : dark ? Color.WHITE : Color.BLACK);
        gc.setTextAlign(TextAlignment.CENTER);
        double cx = b.centerX();
        if (text == 1) {
            gc.setFont(NAME_ONLY_FONT);
            gc.fillText(shorten(n, 18), cx, b.centerY() + 6, b.width() - 6);
            return;
        }
        gc.setFont(NAME_FONT);
        gc.fillText(shorten(n, 26), cx, b.y() + 13, b.width() - 6);
        gc.setFont(DETAIL_FONT);
        gc.fillText(opText(n) + " · " + shapeText(n), cx, b.y() + 26, b.width() - 6);
        Double k = kept.get(n);
        if (removed.contains(n)) {
            gc.fillText("removed", cx, b.y() + 38);
        } else if (k != null) {
            gc.fillText(String.format(Locale.ROOT, "kept %.0f%%", 100 * k), cx, b.y() + 38);
        }
    }

    /** A long (imported) name's end, which tells nodes apart. */
    static String shorten(String s, int max) {
        return s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
    }

    // ---- for tests and measurements ------------------------------------------------------------------------------

    /** The nodes the last draw drew a box for (those in view), in the graph's order. */
    List<String> drawnNodes() {
        return List.copyOf(drawn);
    }

    /** The nodes outlined as the hovered node's channel group. */
    Set<String> highlightedNodes() {
        return Set.copyOf(highlighted);
    }

    /** The nodes outlined as selected (the selected layer's nodes and the clicked node). */
    Set<String> selectedNodes() {
        return Set.copyOf(selected);
    }

    /** Where a node's box centre is on the screen (to point at it), or null when none is laid out. */
    Point2D screenPoint(String node) {
        GraphLayout.Box b = layout == null ? null : layout.box(node);
        return b == null ? null : canvas.localToScreen(tx + b.centerX() * scale, ty + b.centerY() * scale);
    }

    GraphLayout graphLayout() {
        return layout;
    }

    /** Draws everything again (as a resize or zoom would), to compare with what redrawing boxes alone left. */
    void redrawAll() {
        requestDraw();
    }

    /** Boxes the last draw drew: all those in view, or only the recoloured ones. */
    int boxesInLastDraw() {
        return boxesInLastDraw;
    }

    /** Nanoseconds the last draw held the FX thread. */
    long lastDrawNanos() {
        return lastDrawNanos;
    }

    /** Draws so far. */
    int draws() {
        return draws;
    }
}
