package io.jmmdit.model.text;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.Checkpoints;
import io.jmmdit.weights.Dtypes;
import io.jmmdit.weights.SafeTensorsFile;
import io.jmmdit.weights.ShardedCheckpoint;
import io.jmmdit.weights.TensorInfo;
import io.jmmdit.weights.WeightSource;
import io.jmmdit.weights.WeightsException;

/** Shared plumbing of the text encoders: opening a folder, gathering embedding rows, id conversion. */
final class TextWeights {

    /** Additive mask value: {@code torch.finfo(float32).min}, as transformers uses. */
    static final float MASK_MIN = -Float.MAX_VALUE;

    private TextWeights() {
    }

    /** The folder's weights: {@code model.safetensors} or its sharded index (see {@link Checkpoints#WEIGHT_FILES}). */
    static WeightSource openFolder(Path folder) {
        return Checkpoints.component(folder);
    }

    /**
     * Rows {@code table[ids[b][t]]} as [B, T, D]. From a safetensors file only the needed rows are read from the mapping
     * (the table is never materialised); another source loads the table, copies the rows and frees it.
     */
    static Tensor gatherRows(WeightSource src, String name, int[][] ids) {
        TensorInfo info = src.info(name);
        if (info.shape().length != 2) {
            throw new WeightsException(src.describe() + ": embedding '" + name + "' has shape " + Arrays.toString(info.shape()) + ", expected [vocab, dim]");
        }
        int vocab = Math.toIntExact(info.shape()[0]);
        int d = Math.toIntExact(info.shape()[1]);
        int b = ids.length;
        int t = ids[0].length;
        float[] out = new float[Math.multiplyExact(b * t, d)];
        SafeTensorsFile file = src instanceof SafeTensorsFile f ? f : src instanceof ShardedCheckpoint s ? s.shardOf(name) : null;
        if (file != null) {
            ByteBuffer all = file.bytes(name);
            int rowBytes = d * info.dtype().bytes;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    int id = checkId(ids[i][j], vocab, name);
                    ByteBuffer row = all.slice((int) ((long) id * rowBytes), rowBytes).order(ByteOrder.LITTLE_ENDIAN);
                    System.arraycopy(Dtypes.toFloat(row, info.dtype(), d), 0, out, (i * t + j) * d, d);
                }
            }
        } else {
            try (Tensor table = src.tensor(name)) {
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < t; j++) {
                        int id = checkId(ids[i][j], vocab, name);
                        try (Tensor r = table.slice(0, id, id + 1)) {
                            System.arraycopy(r.toFloatArray(), 0, out, (i * t + j) * d, d);
                        }
                    }
                }
            }
        }
        return Tensor.of(out, b, t, d);
    }

    private static int checkId(int id, int vocab, String name) {
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException("token id " + id + " outside the " + vocab + "-row embedding '" + name + "'");
        }
        return id;
    }

    /** A rectangular, non-empty batch check. */
    static void checkIds(int[][] ids, String what) {
        if (ids == null || ids.length == 0 || ids[0].length == 0) {
            throw new IllegalArgumentException(what + ": empty batch");
        }
        for (int[] row : ids) {
            if (row.length != ids[0].length) {
                throw new IllegalArgumentException(what + ": rows of different length (" + row.length + " vs " + ids[0].length + ")");
            }
        }
    }

    /** Ids from a float tensor [B, T] (or [T] as one row); values must be integers. */
    static int[][] idsOf(Tensor t) {
        if (t.rank() != 1 && t.rank() != 2) {
            throw new IllegalArgumentException("ids tensor must be [B, T] or [T], got " + t.shapeString());
        }
        int b = t.rank() == 1 ? 1 : (int) t.size(0);
        int n = (int) t.size(-1);
        float[] f = t.toFloatArray();
        int[][] ids = new int[b][n];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                float v = f[i * n + j];
                if (v != Math.rint(v)) {
                    throw new IllegalArgumentException("ids tensor holds a non-integer value " + v);
                }
                ids[i][j] = (int) v;
            }
        }
        return ids;
    }

    static Tensor idsTensor(int[] v, long... shape) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return Tensor.of(f, shape);
    }

    /** Additive key mask [B, 1, 1, T]: 0 where mask is 1, {@link #MASK_MIN} where 0. */
    static Tensor keyMask(int[][] mask) {
        int b = mask.length;
        int t = mask[0].length;
        float[] f = new float[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                f[i * t + j] = mask[i][j] != 0 ? 0f : MASK_MIN;
            }
        }
        return Tensor.of(f, b, 1, 1, t);
    }

    /** Named float32 tensors loaded together (one layer's weights) and freed together. */
    static final class Layer implements AutoCloseable {
        private final Map<String, Tensor> tensors = new HashMap<>();

        static Layer load(WeightSource src, String prefix, List<String> names) {
            Layer l = new Layer();
            try {
                for (String n : names) {
                    l.tensors.put(n, src.tensor(prefix + n));
                }
            } catch (RuntimeException e) {
                l.close();
                throw e;
            }
            return l;
        }

        Tensor get(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalStateException("layer has no tensor '" + name + "'");
            }
            return t;
        }

        @Override
        public void close() {
            tensors.values().forEach(Tensor::close);
            tensors.clear();
        }
    }
}
