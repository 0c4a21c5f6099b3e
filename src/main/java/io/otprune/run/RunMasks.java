package io.otprune.run;

import io.otprune.prune.PruneConfig;
import io.otprune.prune.UnitSet;
import io.otprune.util.Files2;
import io.otprune.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The hard masks a finished run ended with, per unit set, in its folder as {@value #FILE}: what a structured run's
 * compact model no longer shows (which channels were kept) and what comparing two runs needs. Bits are packed
 * (unit i is bit i % 8 of byte i / 8) and Base64-encoded, so a large network's masks stay small.
 *
 * @param model       the input model folder, as run.json names it
 * @param modelSha256 digest of the input model's weights (two runs of the same model share it)
 * @param granularity the runs' granularity word (unstructured, structured, depth)
 */
public record RunMasks(String model, String modelSha256, String granularity, List<Set> sets) {
    public static final String FILE = "masks.json";

    /** One unit set's mask: its name, the shape of its mask tensor, and the kept units as packed bits. */
    public record Set(String name, long[] shape, int units, int kept, String bits) {
        public boolean[] keep() {
            byte[] b = Base64.getDecoder().decode(bits);
            if (b.length != (units + 7) / 8) {
                throw new IllegalArgumentException("the mask of " + name + " holds " + b.length + " bytes, not "
                        + (units + 7) / 8);
            }
            boolean[] k = new boolean[units];
            for (int i = 0; i < units; i++) {
                k[i] = (b[i >>> 3] >>> (i & 7) & 1) != 0;
            }
            return k;
        }

        public static Set of(String name, long[] shape, boolean[] keep) {
            byte[] b = new byte[(keep.length + 7) / 8];
            int kept = 0;
            for (int i = 0; i < keep.length; i++) {
                if (keep[i]) {
                    b[i >>> 3] |= (byte) (1 << (i & 7));
                    kept++;
                }
            }
            return new Set(name, shape.clone(), keep.length, kept, Base64.getEncoder().encodeToString(b));
        }
    }

    /** The masks of unit sets, as a run ends with them. */
    public static RunMasks of(String model, String modelSha256, PruneConfig.Granularity granularity,
            List<UnitSet> sets, boolean[][] keep) {
        List<Set> out = new ArrayList<>();
        for (int j = 0; j < sets.size(); j++) {
            out.add(Set.of(sets.get(j).name(), sets.get(j).shape().getShape(), keep[j]));
        }
        return new RunMasks(model, modelSha256, PruneConfig.word(granularity), out);
    }

    /** Writes {@value #FILE} into a run folder atomically. */
    public void write(Path runDir) throws IOException {
        Files2.writeAtomically(runDir.resolve(FILE), Json.COMPACT.toJson(this) + "\n");
    }

    /** Reads a run folder's masks; a run without them (or with a damaged file) is one clear line. */
    public static RunMasks read(Path runDir) throws IOException {
        Path f = runDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(runDir + " holds no " + FILE + " (a run that did not finish, or one "
                    + "made before runs saved their masks)");
        }
        try {
            RunMasks m = Json.COMPACT.fromJson(Files.readString(f, StandardCharsets.UTF_8), RunMasks.class);
            if (m == null || m.sets() == null || m.granularity() == null) {
                throw new IllegalArgumentException("incomplete");
            }
            return m;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(f + " is not a masks file (" + e.getMessage() + ")");
        }
    }
}
