package io.jmmdit.inversion;

import java.util.Arrays;

/**
 * What each row of a sampling batch is, for Stage II compensation: the trajectory row it starts from (x*_0[row]) and
 * whether it is a <em>source</em> row (pulled back onto the stored trajectory x*_{k+1}[trajectoryRow] after every
 * step) or a <em>target</em> row (never touched). Trajectory rows matter when several images were inverted as one
 * batch; with a single image every row follows trajectory row 0.
 *
 * <ul>
 *   <li>{@link #sourceTarget()}: [source, target] — FLUX, and SD3 when the adapter does CFG inside the field
 *       (FTEdit's latent state is 2 rows, the 4-row CFG batch is formed per call);</li>
 *   <li>{@link #cfgSourceTarget()}: [uncond_src, uncond_tgt, cond_src, cond_tgt] if the 4 CFG rows are the state;</li>
 *   <li>{@link #builder(int)} for anything else.</li>
 * </ul>
 * Immutable.
 */
public final class RowRoles {

    private final int[] trajectoryRow;
    private final boolean[] source;

    private RowRoles(int[] trajectoryRow, boolean[] source) {
        this.trajectoryRow = trajectoryRow;
        this.source = source;
    }

    /** Batch [source, target], both from trajectory row 0; row 0 compensated. */
    public static RowRoles sourceTarget() {
        return builder(2).source(0, 0).target(1, 0).build();
    }

    /** Batch [uncond_src, uncond_tgt, cond_src, cond_tgt], all from trajectory row 0; rows 0 and 2 compensated. */
    public static RowRoles cfgSourceTarget() {
        return builder(4).source(0, 0).target(1, 0).source(2, 0).target(3, 0).build();
    }

    /** {@code batch} rows, row r starting from trajectory row r, none compensated (plain sampling). */
    public static RowRoles noneCompensated(int batch) {
        Builder b = builder(batch);
        for (int r = 0; r < batch; r++) {
            b.target(r, r);
        }
        return b.build();
    }

    public static Builder builder(int batch) {
        return new Builder(batch);
    }

    public int batchSize() {
        return source.length;
    }

    /** True if {@code row} is compensated (a source row). */
    public boolean isSource(int row) {
        return source[check(row)];
    }

    /** The trajectory row {@code row} starts from (and follows, if a source row). */
    public int trajectoryRow(int row) {
        return trajectoryRow[check(row)];
    }

    /** The compensated rows, ascending. */
    public int[] sourceRows() {
        return java.util.stream.IntStream.range(0, source.length).filter(r -> source[r]).toArray();
    }

    /** The uncompensated rows, ascending. */
    public int[] targetRows() {
        return java.util.stream.IntStream.range(0, source.length).filter(r -> !source[r]).toArray();
    }

    private int check(int row) {
        if (row < 0 || row >= source.length) {
            throw new IndexOutOfBoundsException("row " + row + " outside batch of " + source.length);
        }
        return row;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("RowRoles[");
        for (int r = 0; r < source.length; r++) {
            b.append(r > 0 ? ", " : "").append(source[r] ? "source" : "target").append("<-").append(trajectoryRow[r]);
        }
        return b.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowRoles && Arrays.equals(source, ((RowRoles) o).source)
                && Arrays.equals(trajectoryRow, ((RowRoles) o).trajectoryRow);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(source) + Arrays.hashCode(trajectoryRow);
    }

    /** Every row must be assigned exactly once. */
    public static final class Builder {
        private final int[] trajectoryRow;
        private final boolean[] source;
        private final boolean[] set;

        private Builder(int batch) {
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be >= 1, got " + batch);
            }
            trajectoryRow = new int[batch];
            source = new boolean[batch];
            set = new boolean[batch];
        }

        /** Row {@code row} is compensated onto trajectory row {@code trajectoryRow}. */
        public Builder source(int row, int trajectoryRow) {
            return put(row, trajectoryRow, true);
        }

        /** Row {@code row} starts from trajectory row {@code trajectoryRow} and is never compensated. */
        public Builder target(int row, int trajectoryRow) {
            return put(row, trajectoryRow, false);
        }

        private Builder put(int row, int trow, boolean src) {
            if (row < 0 || row >= source.length) {
                throw new IndexOutOfBoundsException("row " + row + " outside batch of " + source.length);
            }
            if (trow < 0) {
                throw new IllegalArgumentException("trajectory row must be >= 0, got " + trow);
            }
            if (set[row]) {
                throw new IllegalArgumentException("row " + row + " assigned twice");
            }
            set[row] = true;
            trajectoryRow[row] = trow;
            source[row] = src;
            return this;
        }

        public RowRoles build() {
            for (int r = 0; r < set.length; r++) {
                if (!set[r]) {
                    throw new IllegalStateException("row " + r + " has no role");
                }
            }
            return new RowRoles(trajectoryRow.clone(), source.clone());
        }
    }
}
