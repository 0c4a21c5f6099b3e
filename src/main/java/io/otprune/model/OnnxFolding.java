package io.otprune.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Constant folding of ONNX nodes whose inputs are all constants. Exporters compute shapes and pads with small
 * constant subgraphs (PyTorch's ZeroPad2d writes Constant → ConstantOfShape → Concat → Reshape → Slice → Transpose →
 * Reshape → Cast for its pads, and {@code view(N, -1)} a Shape → Gather → Unsqueeze → Concat chain); folding them
 * first leaves only the ops that compute on activations to be mapped or refused. Only data-movement ops and casts
 * are folded: arithmetic on constants is not something the supported exporters write.
 */
final class OnnxFolding {
    private OnnxFolding() {}

    /** The ops folded when all their inputs are constants. */
    static final Set<String> OPS = Set.of("Constant", "Identity", "Cast", "Reshape", "Flatten", "Concat", "Unsqueeze",
            "Squeeze", "Slice", "Transpose", "ConstantOfShape", "Gather", "Shape");

    /**
     * Folds one node; {@code in} holds its inputs (null for an omitted optional input). Throws
     * IllegalArgumentException when the constants do not fit the op.
     */
    static OnnxConstant fold(String op, List<OnnxConstant> in, OnnxAttributes a, int opset) {
        return switch (op) {
            case "Constant" -> constant(a);
            case "Identity" -> in.get(0);
            case "Cast" -> cast(in.get(0), (int) a.i("to", 0));
            case "Reshape" -> in.get(0).reshaped(reshape(in.get(0).dims(), noBatch(in.get(1).asLongs("shape")),
                    a.i("allowzero", 0) != 0));
            case "Flatten" -> flatten(in.get(0), (int) a.i("axis", 1));
            case "Concat" -> concat(in, (int) a.i("axis", 0));
            case "Unsqueeze" -> unsqueeze(in.get(0), axesOf(in, a, opset));
            case "Squeeze" -> squeeze(in.get(0), axesOf(in, a, opset));
            case "Slice" -> slice(in);
            case "Transpose" -> transpose(in.get(0), a.ints("perm", null));
            case "ConstantOfShape" -> constantOfShape(in.get(0), a);
            case "Gather" -> gather(in.get(0), in.get(1), (int) a.i("axis", 0));
            case "Shape" -> shape(in.get(0).dims(), a);
            default -> throw new IllegalStateException("not a folded op: " + op);
        };
    }

    private static OnnxConstant constant(OnnxAttributes a) {
        OnnxConstant t = a.tensor("value");
        if (t != null) {
            return t;
        }
        if (a.has("value_float")) {
            return OnnxConstant.ofFloats(new long[0], new float[] {a.f("value_float", 0)});
        }
        if (a.has("value_floats")) {
            float[] v = a.floats("value_floats");
            return OnnxConstant.ofFloats(new long[] {v.length}, v);
        }
        if (a.has("value_int")) {
            return OnnxConstant.ofLongs(new long[0], new long[] {a.i("value_int", 0)});
        }
        if (a.has("value_ints")) {
            long[] v = a.ints("value_ints", null);
            return OnnxConstant.ofLongs(new long[] {v.length}, v);
        }
        throw new IllegalArgumentException("Constant without a numeric value (" + a.names() + ")");
    }

    private static OnnxConstant cast(OnnxConstant x, int to) {
        switch (to) {
            case OnnxConstant.FLOAT, 11 /* DOUBLE */:
                return new OnnxConstant(x.dims(), to, x.asFloats(), null);
            case OnnxConstant.INT64, 6 /* INT32 */: {
                if (x.isFloat()) {
                    long[] v = new long[x.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (long) x.floats()[i]; // toward zero, as ONNX Runtime casts
                    }
                    return new OnnxConstant(x.dims(), to, null, v);
                }
                return new OnnxConstant(x.dims(), to, null, x.longs());
            }
            default:
                throw new IllegalArgumentException("Cast to " + OnnxConstant.typeName(to) + " is not supported");
        }
    }

    private static long[] noBatch(long[] v) {
        for (long x : v) {
            if (x == OnnxConstant.BATCH) {
                throw new IllegalArgumentException("a constant reshaped by the batch size");
            }
        }
        return v;
    }

    /** ONNX Reshape's target shape: 0 copies the input's dimension (unless allowzero), one -1 is inferred. */
    static long[] reshape(long[] from, long[] shape, boolean allowZero) {
        long[] out = shape.clone();
        long known = 1;
        int infer = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= from.length) {
                    throw new IllegalArgumentException("Reshape copies dimension " + i + " of a rank-" + from.length
                            + " tensor");
                }
                out[i] = from[i];
            }
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("Reshape with two -1 dimensions");
                }
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("Reshape to " + Arrays.toString(shape));
            } else {
                known *= out[i];
            }
        }
        long total = OnnxConstant.size(from);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException("Reshape of " + Arrays.toString(from) + " to "
                        + Arrays.toString(shape));
            }
            out[infer] = total / known;
        }
        if (OnnxConstant.size(out) != total) {
            throw new IllegalArgumentException("Reshape of " + Arrays.toString(from) + " to " + Arrays.toString(shape));
        }
        return out;
    }

    private static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " of a rank-" + rank + " tensor");
        }
        return (int) a;
    }

    private static OnnxConstant flatten(OnnxConstant x, int axis) {
        int r = x.rank();
        int ax = axis < 0 ? axis + r : axis;
        if (ax < 0 || ax > r) {
            throw new IllegalArgumentException("Flatten axis " + axis + " of a rank-" + r + " tensor");
        }
        long outer = OnnxConstant.size(Arrays.copyOfRange(x.dims(), 0, ax));
        return x.reshaped(new long[] {outer, x.size() / Math.max(1, outer)});
    }

    private static OnnxConstant concat(List<OnnxConstant> in, int axis) {
        OnnxConstant first = in.get(0);
        int r = first.rank();
        int ax = axis(axis, r);
        long[] dims = first.dims().clone();
        dims[ax] = 0;
        for (OnnxConstant c : in) {
            if (c.rank() != r || c.isFloat() != first.isFloat()) {
                throw new IllegalArgumentException("Concat of tensors of different rank or type");
            }
            for (int d = 0; d < r; d++) {
                if (d != ax && c.dims()[d] != first.dims()[d]) {
                    throw new IllegalArgumentException("Concat of " + Arrays.toString(first.dims()) + " and "
                            + Arrays.toString(c.dims()));
                }
            }
            dims[ax] += c.dims()[ax];
        }
        long outer = OnnxConstant.size(Arrays.copyOfRange(dims, 0, ax));
        int n = (int) OnnxConstant.size(dims);
        float[] f = first.isFloat() ? new float[n] : null;
        long[] l = first.isFloat() ? null : new long[n];
        int at = 0;
        for (long o = 0; o < outer; o++) {
            for (OnnxConstant c : in) {
                int block = (int) (c.size() / Math.max(1, outer));
                int src = (int) (o * block);
                if (f != null) {
                    System.arraycopy(c.floats(), src, f, at, block);
                } else {
                    System.arraycopy(c.longs(), src, l, at, block);
                }
                at += block;
            }
        }
        return new OnnxConstant(dims, first.type(), f, l);
    }

    /** Unsqueeze/Squeeze axes: an attribute before opset 13, an input from 13 on (null: none given). */
    static long[] axesOf(List<OnnxConstant> in, OnnxAttributes a, int opset) {
        if (opset >= 13) {
            return in.size() > 1 && in.get(1) != null ? in.get(1).asLongs("axes") : null;
        }
        return a.ints("axes", null);
    }

    /** The dims after inserting 1s at {@code axes} (counted in the output's rank). */
    static long[] unsqueezed(long[] dims, long[] axes) {
        if (axes == null) {
            throw new IllegalArgumentException("Unsqueeze without axes");
        }
        int r = dims.length + axes.length;
        boolean[] ones = new boolean[r];
        for (long ax : axes) {
            int k = axis(ax, r);
            if (ones[k]) {
                throw new IllegalArgumentException("Unsqueeze with a repeated axis");
            }
            ones[k] = true;
        }
        long[] out = new long[r];
        for (int i = 0, j = 0; i < r; i++) {
            out[i] = ones[i] ? 1 : dims[j++];
        }
        return out;
    }

    /** The dims without the 1s at {@code axes} (all 1s when null). */
    static long[] squeezed(long[] dims, long[] axes) {
        boolean[] drop = new boolean[dims.length];
        if (axes == null) {
            for (int i = 0; i < dims.length; i++) {
                drop[i] = dims[i] == 1;
            }
        } else {
            for (long ax : axes) {
                int k = axis(ax, dims.length);
                if (dims[k] != 1) {
                    throw new IllegalArgumentException("Squeeze of axis " + ax + " of size " + dims[k]);
                }
                drop[k] = true;
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            if (!drop[i]) {
                out.add(dims[i]);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static OnnxConstant unsqueeze(OnnxConstant x, long[] axes) {
        return x.reshaped(unsqueezed(x.dims(), axes));
    }

    private static OnnxConstant squeeze(OnnxConstant x, long[] axes) {
        return x.reshaped(squeezed(x.dims(), axes));
    }

    private static OnnxConstant slice(List<OnnxConstant> in) {
        OnnxConstant x = in.get(0);
        long[] starts = noBatch(in.get(1).asLongs("starts"));
        long[] ends = noBatch(in.get(2).asLongs("ends"));
        int r = x.rank();
        long[] axes = in.size() > 3 && in.get(3) != null ? in.get(3).asLongs("axes") : null;
        long[] steps = in.size() > 4 && in.get(4) != null ? in.get(4).asLongs("steps") : null;
        if (starts.length != ends.length || (axes != null && axes.length != starts.length)
                || (steps != null && steps.length != starts.length)) {
            throw new IllegalArgumentException("Slice with starts, ends, axes and steps of different lengths");
        }
        long[] begin = new long[r];
        long[] step = new long[r];
        long[] count = x.dims().clone();
        Arrays.fill(step, 1);
        for (int k = 0; k < starts.length; k++) {
            int ax = axis(axes == null ? k : axes[k], r);
            long dim = x.dims()[ax];
            long s = steps == null ? 1 : steps[k];
            if (s == 0) {
                throw new IllegalArgumentException("Slice with step 0");
            }
            long b = starts[k] < 0 ? starts[k] + dim : starts[k];
            long e = ends[k] < 0 ? ends[k] + dim : ends[k];
            if (s > 0) {
                b = Math.max(0, Math.min(b, dim));
                e = Math.max(0, Math.min(e, dim));
                count[ax] = Math.max(0, (e - b + s - 1) / s);
            } else {
                b = Math.max(0, Math.min(b, dim - 1));
                e = Math.max(-1, Math.min(e, dim - 1));
                count[ax] = Math.max(0, (b - e + (-s) - 1) / (-s));
            }
            begin[ax] = b;
            step[ax] = s;
        }
        long[] srcStrides = OnnxConstant.strides(x.dims());
        long[] outStrides = OnnxConstant.strides(count);
        int n = (int) OnnxConstant.size(count);
        int[] from = new int[n];
        for (int i = 0; i < n; i++) {
            long src = 0;
            long rest = i;
            for (int d = 0; d < r; d++) {
                long idx = rest / outStrides[d];
                rest %= outStrides[d];
                src += (begin[d] + idx * step[d]) * srcStrides[d];
            }
            from[i] = (int) src;
        }
        return x.take(count, from);
    }

    private static OnnxConstant transpose(OnnxConstant x, long[] perm) {
        int r = x.rank();
        long[] p = perm;
        if (p == null) {
            p = new long[r];
            for (int i = 0; i < r; i++) {
                p[i] = r - 1 - i;
            }
        }
        if (p.length != r) {
            throw new IllegalArgumentException("Transpose perm " + Arrays.toString(p) + " of a rank-" + r + " tensor");
        }
        long[] dims = new long[r];
        for (int i = 0; i < r; i++) {
            dims[i] = x.dims()[axis(p[i], r)];
        }
        long[] srcStrides = OnnxConstant.strides(x.dims());
        long[] outStrides = OnnxConstant.strides(dims);
        int[] from = new int[x.size()];
        for (int i = 0; i < from.length; i++) {
            long src = 0;
            long rest = i;
            for (int d = 0; d < r; d++) {
                long idx = rest / outStrides[d];
                rest %= outStrides[d];
                src += idx * srcStrides[(int) p[d]];
            }
            from[i] = (int) src;
        }
        return x.take(dims, from);
    }

    private static OnnxConstant constantOfShape(OnnxConstant shape, OnnxAttributes a) {
        long[] dims = noBatch(shape.asLongs("shape"));
        OnnxConstant value = a.tensor("value");
        int n = (int) OnnxConstant.size(dims);
        if (value == null || value.isFloat()) {
            float v = value == null ? 0f : (float) value.scalar("ConstantOfShape value");
            float[] f = new float[n];
            Arrays.fill(f, v);
            return new OnnxConstant(dims, value == null ? OnnxConstant.FLOAT : value.type(), f, null);
        }
        long[] l = new long[n];
        Arrays.fill(l, (long) value.scalar("ConstantOfShape value"));
        return new OnnxConstant(dims, value.type(), null, l);
    }

    private static OnnxConstant gather(OnnxConstant data, OnnxConstant indices, int axis) {
        int r = data.rank();
        int ax = axis(axis, r);
        long[] idx = indices.asLongs("Gather indices");
        long dim = data.dims()[ax];
        long[] dims = new long[r - 1 + indices.rank()];
        System.arraycopy(data.dims(), 0, dims, 0, ax);
        System.arraycopy(indices.dims(), 0, dims, ax, indices.rank());
        System.arraycopy(data.dims(), ax + 1, dims, ax + indices.rank(), r - ax - 1);
        long outer = OnnxConstant.size(Arrays.copyOfRange(data.dims(), 0, ax));
        long inner = OnnxConstant.size(Arrays.copyOfRange(data.dims(), ax + 1, r));
        int[] from = new int[(int) (outer * idx.length * inner)];
        int at = 0;
        for (long o = 0; o < outer; o++) {
            for (long i : idx) {
                long k = i < 0 ? i + dim : i;
                if (k < 0 || k >= dim) {
                    throw new IllegalArgumentException("Gather index " + i + " out of range " + dim);
                }
                for (long j = 0; j < inner; j++) {
                    from[at++] = (int) ((o * dim + k) * inner + j);
                }
            }
        }
        return data.take(dims, from);
    }

    /** Shape's output (dims may hold {@link OnnxConstant#BATCH}); {@code start}/{@code end} from opset 15. */
    static OnnxConstant shape(long[] dims, OnnxAttributes a) {
        int r = dims.length;
        long s = a.i("start", 0);
        long e = a.i("end", r);
        int b = (int) Math.max(0, Math.min(r, s < 0 ? s + r : s));
        int f = (int) Math.max(0, Math.min(r, e < 0 ? e + r : e));
        long[] v = Arrays.copyOfRange(dims, b, Math.max(b, f));
        return OnnxConstant.ofLongs(new long[] {v.length}, v);
    }
}
