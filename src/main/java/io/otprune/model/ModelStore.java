package io.otprune.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.otprune.util.Files2;
import io.otprune.util.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads model folders ({@code model.json} + the DJL {@code model.params}). A save writes a complete new
 * folder beside the target and moves it into place, so a model on disk is never half-overwritten.
 */
public final class ModelStore {
    private ModelStore() {}

    /** A network loaded with its weights, and its description. */
    public record Loaded(Network network, ModelInfo info, Path dir) {}

    /**
     * Saves to {@code dir}, which must not exist or be empty unless {@code replace} is set; with {@code replace} an
     * existing model folder is swapped out only after the new one is complete.
     */
    public static ModelInfo save(Path dir, Network net, ModelInfo info, boolean replace) throws IOException {
        dir = dir.toAbsolutePath().normalize();
        if (!replace && !Files2.isAbsentOrEmptyDir(dir)) {
            throw new IOException(dir + " exists and is not empty (choose another folder)");
        }
        Path parent = dir.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".saving-");
        Files2.shareable(tmp);
        try {
            Path params = tmp.resolve(ModelInfo.PARAMS_FILE);
            try (DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(params)))) {
                net.block().saveParameters(dos);
            }
            // whatever the input's format was, the weights are now in the graph's layout
            ModelInfo full = info.toBuilder().network(net.graph()).paramsFile(ModelInfo.PARAMS_FILE)
                    .paramsSha256(Files2.sha256(params)).build();
            Files.writeString(tmp.resolve(ModelInfo.FILE), Json.PRETTY.toJson(full) + "\n", StandardCharsets.UTF_8);
            Path old = null;
            if (Files.exists(dir)) {
                old = parent.resolve("." + dir.getFileName() + ".old-" + System.nanoTime());
                Files.move(dir, old);
            }
            Files.move(tmp, dir);
            if (old != null) {
                Files2.deleteRecursively(old);
            }
            return full;
        } finally {
            Files2.deleteRecursively(tmp);
        }
    }

    /** Reads and checks model.json only (no weights): for pickers and summaries. Format-1 files get their graph. */
    public static ModelInfo readInfo(Path dir) throws ModelFormatException {
        Path json = dir.resolve(ModelInfo.FILE);
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir + ": not a model folder (it does not exist or is not a folder)");
        }
        if (!Files.isRegularFile(json)) {
            throw new ModelFormatException(json + ": missing (a model folder holds model.json and model.params)");
        }
        ModelInfo info;
        try {
            info = Json.PRETTY.fromJson(Files.readString(json, StandardCharsets.UTF_8), ModelInfo.class);
        } catch (IOException | RuntimeException e) {
            // Gson reports a record it cannot build (a missing list, a bad value) as a runtime exception
            throw new ModelFormatException(json + ": not valid model JSON (" + e.getMessage() + ")", e);
        }
        if (info == null) {
            throw new ModelFormatException(json + ": empty");
        }
        try {
            if (info.format() == LegacyModel.FORMAT) {
                LegacyModel.Architecture a = info.architecture();
                if (a == null || a.id() == null) {
                    throw new ModelFormatException(json + ": no architecture given");
                }
                if (!Architectures.ids().contains(a.id())) {
                    throw new ModelFormatException(json + ": unknown architecture '" + a.id() + "' (known: "
                            + Architectures.ids() + ")");
                }
                requireNormalization(info, json);
                return info.toBuilder().name(info.name() != null ? info.name() : a.id()).graph(a.graph()).build();
            }
            if (info.format() != ModelInfo.FORMAT) {
                throw new ModelFormatException(json + ": format " + info.format() + " is not supported (expected "
                        + ModelInfo.FORMAT + ", or " + LegacyModel.FORMAT + " for older folders)");
            }
            if (info.graph() == null) {
                throw new ModelFormatException(json + ": no graph given");
            }
            info.graph().validate();
            requireNormalization(info, json);
            return info.name() != null ? info : info.toBuilder().name(dir.getFileName().toString()).build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ModelFormatException(json + ": " + e.getMessage(), e);
        }
    }

    private static void requireNormalization(ModelInfo info, Path json) throws ModelFormatException {
        if (info.normalization() == null) {
            throw new ModelFormatException(json + ": no normalization given (the pixel mean and std the weights "
                    + "expect)");
        }
    }

    /** Loads a model folder into {@code manager}, checking the digest and every parameter's shape. */
    public static Loaded load(Path dir, NDManager manager) throws ModelFormatException {
        ModelInfo info = readInfo(dir);
        Path params = dir.resolve(info.paramsFile() == null ? ModelInfo.PARAMS_FILE : info.paramsFile());
        if (!Files.isRegularFile(params)) {
            throw new ModelFormatException(params + ": missing parameter file");
        }
        try {
            if (info.paramsSha256() != null && !info.paramsSha256().equals(Files2.sha256(params))) {
                throw new ModelFormatException(params + ": corrupt (its SHA-256 does not match model.json)");
            }
        } catch (IOException e) {
            throw new ModelFormatException(params + ": cannot read (" + e.getMessage() + ")", e);
        }
        Network net = new Network(info.graph());
        // Initialise first: this sets every layer's geometry and the expected shapes we check against.
        net.initialize(manager);
        Map<String, Shape> expected = new HashMap<>();
        for (Pair<String, Parameter> p : net.parameters()) {
            expected.put(p.getKey(), p.getValue().getShape());
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
            if (info.legacy()) {
                LegacyModel.read(info.architecture(), net, manager, in);
            } else {
                net.block().loadParameters(manager, in);
            }
            if (in.read() != -1) {
                throw new ModelFormatException(params + ": trailing data after the parameters (does it belong to "
                        + "another network?)");
            }
        } catch (EOFException e) {
            throw new ModelFormatException(params + ": truncated (ends before all parameters of " + info.name()
                    + " were read)", e);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            throw new ModelFormatException(params + ": does not match the network " + info.name() + " ("
                    + e.getMessage() + ")", e);
        }
        for (Pair<String, Parameter> p : net.parameters()) {
            Shape want = expected.get(p.getKey());
            Shape got = p.getValue().getArray().getShape();
            if (!got.equals(want)) {
                throw new ModelFormatException(params + ": parameter " + p.getKey() + " has shape " + got
                        + " but the graph of " + info.name() + " expects " + want);
            }
        }
        return new Loaded(net, info, dir);
    }
}
