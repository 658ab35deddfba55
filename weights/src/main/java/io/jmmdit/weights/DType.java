package io.jmmdit.weights;

/**
 * The safetensors element types this reader understands and their sizes in bytes. All data is little-endian.
 *
 * <p>{@link #F8_E4M3} is the "fn" variant used by PyTorch's {@code float8_e4m3fn} (bias 7, no infinities, {@code S.1111.111}
 * is NaN, max finite 448); {@link #F8_E5M2} is IEEE-like (bias 15, infinities and NaN, max finite 57344). {@link #BOOL}
 * is one byte per element, 0 = false.
 */
public enum DType {
    F64(8, true), F32(4, true), F16(2, true), BF16(2, true), F8_E4M3(1, true), F8_E5M2(1, true),
    I64(8, false), I32(4, false), I16(2, false), I8(1, false),
    U64(8, false), U32(4, false), U16(2, false), U8(1, false),
    BOOL(1, false);

    /** Size of one element in bytes. */
    public final int bytes;
    private final boolean floating;

    DType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** True for the floating-point types (F64 … F8_E5M2). */
    public boolean isFloatingPoint() {
        return floating;
    }

    /** The dtype named {@code name} in a safetensors header (exact, case-sensitive), or null if unknown. */
    public static DType parse(String name) {
        if (name == null) {
            return null;
        }
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
