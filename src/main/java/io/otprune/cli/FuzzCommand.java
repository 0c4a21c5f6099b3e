package io.otprune.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.otprune.data.Dataset;
import io.otprune.data.Datasets;
import io.otprune.data.ImageSet;
import io.otprune.model.ModelStore;
import io.otprune.util.Files2;
import io.otprune.util.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fuzzing of the CLI's load paths: truncated and bit-flipped model.json, model.params, IDX, PNG and ONNX files, each
 * through the command that loads it ({@code eval} for models, {@code data info} for data), in this process. Each
 * case must end with a correct load (exit 0) or a one-line error (exit 1 or 2, one stderr line, no stack trace), in
 * bounded time, with nothing written into the input's folder.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = "Mutated model and data files through the CLI's load paths: one-line error or correct load, "
                + "bounded time, nothing written, no stack trace.")
final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--cases", defaultValue = "1000", description = "Mutated inputs (default ${DEFAULT-VALUE}).")
    int cases;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the mutations (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout-s", defaultValue = "60", description = "Per case (default ${DEFAULT-VALUE}).")
    int timeoutS;

    @Option(names = "--model", defaultValue = "sample-models/mlp-300-100-fmnist",
            description = "Model folder the model seeds come from (default ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--out", description = "Write the figures here as JSON.")
    Path out;

    record Case(int id, String file, String mutation, String command, int exit, int stderrLines, boolean stackTrace,
            boolean wroteFiles, long millis, String firstLine) {}

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("otprune-fuzz");
        try {
            return run(work);
        } finally {
            Files2.deleteRecursively(work);
        }
    }

    private int run(Path work) throws Exception {
        Seeds seeds = writeSeeds(work);
        SplittableRandom rng = new SplittableRandom(seed);
        List<Case> results = new ArrayList<>();
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        int hangs = 0;
        for (int i = 1; i <= cases; i++) {
            Case c = runCase(i, seeds, work, rng, exec);
            results.add(c);
            if (c.exit() == -1) {
                hangs++;
            }
            if (hangs >= 3) {
                break; // hung threads hold the CPU: stop and report
            }
            if (i % 100 == 0) {
                System.out.printf("%d cases, %.0f s%n", i, (System.nanoTime() - start) / 1e9);
            }
        }
        exec.shutdownNow();
        return report(results, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The clean inputs the cases mutate: a format-2 model folder, the legacy (format-1) one, an IDX folder, a PNG
     * class-folder tree and the model exported as ONNX (a folder holding model.onnx).
     */
    private record Seeds(Path model2, Path model1, Path idx, Path png, Path onnx) {}

    private Seeds writeSeeds(Path work) throws Exception {
        Path seeds = Files.createDirectories(work.resolve("seeds"));
        Path m2 = seeds.resolve("model2");
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ModelStore.Loaded l = ModelStore.load(model, m);
            ModelStore.save(m2, l.network(), l.info(), false);
            Files.createDirectories(seeds.resolve("onnx"));
            Files.write(seeds.resolve("onnx").resolve("model.onnx"),
                    io.otprune.model.OnnxExport.model(l.network(), l.info().name()).toByteArray());
        }
        Path m1 = seeds.resolve("model1");
        Files.createDirectories(m1);
        try (Stream<Path> s = Files.list(model)) {
            for (Path p : s.toList()) {
                Files.copy(p, m1.resolve(p.getFileName()));
            }
        }
        Dataset d = Datasets.load("fashion-mnist-small");
        Path idx = Files.createDirectories(seeds.resolve("idx"));
        writeIdx(d.train().load(), 200, idx, "train");
        writeIdx(d.test().load(), 50, idx, "t10k");
        Path png = seeds.resolve("png");
        writePng(d.train().load(), 30, png.resolve("train"), d.classNames());
        writePng(d.test().load(), 10, png.resolve("test"), d.classNames());
        return new Seeds(m2, m1, idx, png, seeds.resolve("onnx"));
    }

    /**
     * One case: a copy of a seed with one file mutated, the command that reads it run on the case thread (with a
     * time limit, its output captured), and what it did: exit code, error lines, a stack trace, files written.
     */
    private Case runCase(int i, Seeds seeds, Path work, SplittableRandom rng, ExecutorService exec)
            throws Exception {
        int kind = rng.nextInt(5);
        Path seedDir = switch (kind) {
            case 0, 1 -> rng.nextBoolean() ? seeds.model2() : seeds.model1();
            case 2 -> seeds.idx();
            case 3 -> seeds.png();
            default -> seeds.onnx();
        };
        Path dir = work.resolve("case-" + i);
        copyTree(seedDir, dir);
        Path target = switch (kind) {
            case 0 -> dir.resolve("model.json");
            case 1 -> dir.resolve("model.params");
            case 2 -> pick(dir, rng, ".*ubyte");
            case 3 -> pick(dir, rng, ".*\\.png");
            default -> dir.resolve("model.onnx");
        };
        String mutation = mutate(target, rng);
        // an import that loads writes its model folder, outside the case's folder; one that fails writes none
        Path imported = work.resolve("imported-" + i);
        String[] args = kind <= 1 ? new String[] {"eval", "--model", dir.toString(), "--data",
            seeds.idx().toString(), "--device", "cpu"} : kind == 4 ? new String[] {"import", target.toString(),
            "--out", imported.toString()} : new String[] {"data", "info", dir.toString()};
        Map<String, String> before = listing(dir);
        PrintStream stdout = System.out, stderr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        int exit;
        Future<Integer> f = exec.submit(() -> Main.execute(args));
        try {
            exit = f.get(timeoutS, TimeUnit.SECONDS);
        } catch (TimeoutException te) {
            exit = -1;
            f.cancel(true);
        } catch (java.util.concurrent.ExecutionException ee) {
            exit = -2; // escaped Main.execute: a crash of the command line
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String err = e.toString(StandardCharsets.UTF_8).strip();
        List<String> lines = err.isEmpty() ? List.of() : err.lines().toList();
        boolean trace = err.contains("\tat ") || err.contains("Exception in thread");
        boolean wrote = !listing(dir).equals(before) || (exit != 0 && Files.exists(imported));
        Files2.deleteRecursively(imported);
        Files2.deleteRecursively(dir);
        return new Case(i, seedDir.getFileName() + "/" + dir.relativize(target), mutation,
                String.join(" ", args[0], args[1]), exit, lines.size(), trace, wrote, ms,
                lines.isEmpty() ? "" : lines.get(0));
    }

    private int report(List<Case> results, double seconds) throws Exception {
        long ok = results.stream().filter(c -> c.exit() == 0 && !c.wroteFiles()).count();
        long oneLine = results.stream().filter(c -> (c.exit() == 1 || c.exit() == 2) && c.stderrLines() == 1
                && !c.stackTrace() && !c.wroteFiles()).count();
        List<Case> bad = results.stream().filter(c -> !((c.exit() == 0 || ((c.exit() == 1 || c.exit() == 2)
                && c.stderrLines() == 1)) && !c.stackTrace() && !c.wroteFiles())).toList();
        long maxMs = results.stream().mapToLong(Case::millis).max().orElse(0);
        double meanMs = results.stream().mapToLong(Case::millis).average().orElse(0);
        Map<String, Integer> byFile = new TreeMap<>();
        Map<String, Integer> messages = new TreeMap<>();
        for (Case c : results) {
            byFile.merge(c.file().replaceAll("case-\\d+/", "").replaceAll("/[^/]*\\.png$", "/*.png")
                    .replaceAll("^png/.*", "png/*.png"), 1, Integer::sum);
            if (c.exit() != 0) {
                messages.merge(c.firstLine().replaceAll("/\\S+", "PATH").replaceAll("\\d+", "N"), 1, Integer::sum);
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cases", results.size());
        r.put("seconds", seconds);
        r.put("correctLoads", ok);
        r.put("oneLineErrors", oneLine);
        r.put("violations", bad.size());
        r.put("violationCases", bad.stream().limit(20).toList());
        r.put("hangs", results.stream().filter(c -> c.exit() == -1).count());
        r.put("maxMillis", maxMs);
        r.put("meanMillis", meanMs);
        r.put("casesByFile", byFile);
        r.put("errorMessages", messages);
        String json = Json.PRETTY.toJson(r);
        if (out != null) {
            Files2.writeAtomically(out, json + "\n");
        }
        System.out.printf("%d cases in %.0f s: %d correct loads, %d one-line errors, %d violations, %d hangs; "
                + "slowest %d ms, mean %.0f ms%n", results.size(), seconds, ok, oneLine, bad.size(),
                r.get("hangs"), maxMs, meanMs);
        bad.stream().limit(10).forEach(c -> System.out.println("  violation: " + c));
        return bad.isEmpty() ? 0 : 1;
    }

    static String mutate(Path file, SplittableRandom rng) throws Exception {
        byte[] b = Files.readAllBytes(file);
        if (b.length == 0 || rng.nextBoolean()) {
            int len = b.length == 0 ? 0 : rng.nextInt(b.length);
            Files.write(file, java.util.Arrays.copyOf(b, len));
            return "truncated to " + len + " of " + b.length + " bytes";
        }
        int flips = 1 + rng.nextInt(8);
        for (int k = 0; k < flips; k++) {
            int i = rng.nextInt(b.length);
            b[i] ^= (byte) (1 << rng.nextInt(8));
        }
        Files.write(file, b);
        return flips + " bit(s) flipped";
    }

    private static Path pick(Path dir, SplittableRandom rng, String regex) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = s.filter(p -> p.getFileName().toString().matches(regex)).sorted().toList();
            return all.get(rng.nextInt(all.size()));
        }
    }

    private static Map<String, String> listing(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                m.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }

    private static void writeIdx(ImageSet s, int n, Path dir, String prefix) throws Exception {
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix
                + "-images-idx3-ubyte")))) {
            o.writeInt(0x803);
            o.writeInt(n);
            o.writeInt(s.height());
            o.writeInt(s.width());
            o.write(s.images(), 0, n * s.height() * s.width());
        }
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix
                + "-labels-idx1-ubyte")))) {
            o.writeInt(0x801);
            o.writeInt(n);
            o.write(s.labels(), 0, n);
        }
    }

    /** {@code n} images per class as grey PNGs in {@code root/<class>/}. */
    private static void writePng(ImageSet s, int n, Path root, List<String> classes) throws Exception {
        int[] count = new int[classes.size()];
        int h = s.height(), w = s.width();
        for (int i = 0; i < s.count(); i++) {
            int c = s.label(i);
            if (count[c] >= n) {
                continue;
            }
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] px = new byte[h * w];
            s.read(i, px, 0);
            img.getRaster().setDataElements(0, 0, w, h, px);
            Path dir = Files.createDirectories(root.resolve(classes.get(c).replaceAll("[^A-Za-z0-9_-]", "_")));
            ImageIO.write(img, "png", dir.resolve(String.format("%04d.png", i)).toFile());
            count[c]++;
        }
    }
}
