package io.jmmdit.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Bit-exact conversions between the safetensors element types and float32.
 *
 * <p>Decoding is exact for every float type narrower than F32 (BF16, F16, F8 E4M3fn, F8 E5M2 values are all representable
 * as float32, subnormals included, signs of zeros kept, NaN stays NaN, ±inf stays ±inf). F64, I32, I64, U32 and U64 round to
 * nearest float32 (F64 overflow gives ±inf). BOOL gives 1 for any non-zero byte.
 *
 * <p>Encoding ({@code floatTo…}, {@link #fromFloat}) rounds to nearest, ties to even. Out-of-range values become ±inf
 * (F16, BF16, E5M2) or NaN (E4M3fn, which has no infinity, as PyTorch does); NaN becomes a quiet NaN of the same sign.
 */
public final class Dtypes {

    private static final float[] E4M3 = new float[256];
    private static final float[] E5M2 = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            E4M3[i] = decodeE4m3((byte) i);
            E5M2[i] = f16ToFloat((short) (i << 8));
        }
    }

    private Dtypes() {
    }

    /**
     * {@code n} elements of type {@code dtype} read from {@code b} starting at its position, as float32. The bytes are
     * little-endian whatever {@code b.order()} says; {@code b}'s position and order are not changed.
     *
     * @throws IllegalArgumentException if {@code b} holds fewer than {@code n} elements or {@code n < 0}
     */
    public static float[] toFloat(ByteBuffer b, DType dtype, int n) {
        if (n < 0 || (long) n * dtype.bytes > b.remaining()) {
            throw new IllegalArgumentException(n + " " + dtype + " elements need " + (long) n * dtype.bytes + " bytes, buffer has " + b.remaining());
        }
        ByteBuffer le = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> le.asFloatBuffer().get(out, 0, n);
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) le.getDouble(8 * i); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = bf16ToFloat(le.getShort(2 * i)); }
            case F16 -> { for (int i = 0; i < n; i++) out[i] = f16ToFloat(le.getShort(2 * i)); }
            case F8_E4M3 -> { for (int i = 0; i < n; i++) out[i] = E4M3[le.get(i) & 0xFF]; }
            case F8_E5M2 -> { for (int i = 0; i < n; i++) out[i] = E5M2[le.get(i) & 0xFF]; }
            case I64 -> { for (int i = 0; i < n; i++) out[i] = le.getLong(8 * i); }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = le.getInt(4 * i); }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = le.getShort(2 * i); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = le.get(i); }
            case U64 -> { for (int i = 0; i < n; i++) out[i] = unsignedLongToFloat(le.getLong(8 * i)); }
            case U32 -> { for (int i = 0; i < n; i++) out[i] = le.getInt(4 * i) & 0xFFFFFFFFL; }
            case U16 -> { for (int i = 0; i < n; i++) out[i] = le.getShort(2 * i) & 0xFFFF; }
            case U8 -> { for (int i = 0; i < n; i++) out[i] = le.get(i) & 0xFF; }
            case BOOL -> { for (int i = 0; i < n; i++) out[i] = le.get(i) != 0 ? 1f : 0f; }
            default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
        }
        return out;
    }

    /**
     * {@code values} encoded as little-endian {@code dtype} bytes. Float types round to nearest even (see class doc);
     * integer types and BOOL require values that are exactly representable (BOOL: 0 or 1).
     *
     * @throws IllegalArgumentException for a value an integer type cannot hold exactly
     */
    public static byte[] fromFloat(float[] values, DType dtype) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, dtype.bytes)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            switch (dtype) {
                case F32 -> b.putFloat(v);
                case F64 -> b.putDouble(v);
                case BF16 -> b.putShort(floatToBf16(v));
                case F16 -> b.putShort(floatToF16(v));
                case F8_E4M3 -> b.put(floatToE4m3(v));
                case F8_E5M2 -> b.put(floatToE5m2(v));
                case I64 -> b.putLong((long) integral(v, -0x1p63, 0x1p63, dtype));
                case I32 -> b.putInt((int) integral(v, -0x1p31, 0x1p31, dtype));
                case I16 -> b.putShort((short) integral(v, -0x1p15, 0x1p15, dtype));
                case I8 -> b.put((byte) integral(v, -0x1p7, 0x1p7, dtype));
                case U64 -> {
                    double d = integral(v, 0, 0x1p64, dtype);
                    b.putLong(d >= 0x1p63 ? (long) (d - 0x1p63) ^ Long.MIN_VALUE : (long) d);
                }
                case U32 -> b.putInt((int) (long) integral(v, 0, 0x1p32, dtype));
                case U16 -> b.putShort((short) integral(v, 0, 0x1p16, dtype));
                case U8 -> b.put((byte) integral(v, 0, 0x1p8, dtype));
                case BOOL -> b.put((byte) integral(v, 0, 2, dtype));
                default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
            }
        }
        return b.array();
    }

    private static double integral(float v, double min, double maxExclusive, DType dtype) {
        if (!(v >= min && v < maxExclusive) || v != Math.rint(v)) {
            throw new IllegalArgumentException(v + " is not representable as " + dtype);
        }
        return v;
    }

    static float unsignedLongToFloat(long x) {
        if (x >= 0) {
            return x;
        }
        // halve with sticky bit so the single rounding to float is correct, then double back
        return ((float) ((x >>> 1) | (x & 1))) * 2f;
    }

    // ---- decoders -----------------------------------------------------------------------------------------------

    /** bfloat16 (1-8-7): the upper half of a float32. */
    public static float bf16ToFloat(short h) {
        return Float.intBitsToFloat((h & 0xFFFF) << 16);
    }

    /** IEEE half precision (1-5-10, bias 15) with subnormals, infinities and NaN. */
    public static float f16ToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >> 10) & 0x1F;
        int man = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (man << 13));
        }
        if (exp == 0) {
            // subnormal: man · 2^-24, exact in float32; sign applied by bits to keep −0
            return Float.intBitsToFloat(sign | Float.floatToRawIntBits(man * 0x1p-24f));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (man << 13));
    }

    /** FP8 E4M3fn (1-4-3, bias 7, no infinities, S.1111.111 is NaN, max finite 448, min subnormal 2^-9). */
    public static float e4m3ToFloat(byte v) {
        return E4M3[v & 0xFF];
    }

    /** FP8 E5M2 (1-5-2, bias 15): the upper byte of an IEEE half. */
    public static float e5m2ToFloat(byte v) {
        return E5M2[v & 0xFF];
    }

    private static float decodeE4m3(byte v) {
        int bits = v & 0xFF;
        int sign = (bits & 0x80) << 24;
        int exp = (bits >> 3) & 0xF;
        int man = bits & 0x7;
        if (exp == 0xF && man == 0x7) {
            return Float.intBitsToFloat(sign | 0x7FC00000);
        }
        if (exp == 0) {
            return Float.intBitsToFloat(sign | Float.floatToRawIntBits(man * 0x1p-9f));
        }
        return Float.intBitsToFloat(sign | ((exp - 7 + 127) << 23) | (man << 20));
    }

    // ---- encoders -----------------------------------------------------------------------------------------------

    public static short floatToBf16(float f) {
        return (short) encode(f, 8, 7, 127, false);
    }

    public static short floatToF16(float f) {
        return (short) encode(f, 5, 10, 15, false);
    }

    public static byte floatToE4m3(float f) {
        return (byte) encode(f, 4, 3, 7, true);
    }

    public static byte floatToE5m2(float f) {
        return (byte) encode(f, 5, 2, 15, false);
    }

    /**
     * Round-to-nearest-even encoding of {@code f} in a 1-eBits-mBits minifloat. {@code fn}: no infinities, the all-ones
     * pattern is the only NaN (E4M3fn). Works in double, where every step is exact except the one {@code rint}.
     */
    static int encode(float f, int eBits, int mBits, int bias, boolean fn) {
        int sign = Float.floatToRawIntBits(f) < 0 ? 1 << (eBits + mBits) : 0;
        int expAllOnes = (1 << eBits) - 1;
        int nan = fn ? (expAllOnes << mBits) | ((1 << mBits) - 1) : (expAllOnes << mBits) | (1 << (mBits - 1));
        int inf = fn ? nan : expAllOnes << mBits;
        if (Float.isNaN(f)) {
            return sign | nan;
        }
        if (Float.isInfinite(f)) {
            return sign | inf;
        }
        double a = Math.abs((double) f);
        if (a == 0) {
            return sign;
        }
        int maxExpField = fn ? expAllOnes : expAllOnes - 1;
        int maxMan = fn ? (1 << mBits) - 2 : (1 << mBits) - 1;
        double maxFinite = (1 + maxMan / (double) (1 << mBits)) * Math.scalb(1.0, maxExpField - bias);
        int emin = 1 - bias;
        int e = Math.max(Math.getExponent(a), emin);
        double q = Math.scalb(1.0, e - mBits);
        double r = Math.rint(a / q);
        double v = r * q;
        if (v > maxFinite) {
            return sign | inf;
        }
        if (v == 0) {
            return sign;
        }
        if (v < Math.scalb(1.0, emin)) {
            return sign | (int) r;
        }
        int ev = Math.getExponent(v);
        int man = (int) (v / Math.scalb(1.0, ev - mBits)) - (1 << mBits);
        return sign | ((ev + bias) << mBits) | man;
    }
}
