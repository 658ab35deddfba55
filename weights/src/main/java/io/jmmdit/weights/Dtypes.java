package io.jmmdit.weights;

import java.nio.ByteBuffer;

/** Bit-exact conversion of every safetensors element type to float32. */
public final class Dtypes {

    private Dtypes() {
    }

    public static float[] toFloat(ByteBuffer b, DType dtype, int n) {
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(8 * i); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xFFFF) << 16); }
            case F16 -> { for (int i = 0; i < n; i++) out[i] = f16(b.getShort(2 * i)); }
            case F8_E4M3 -> { for (int i = 0; i < n; i++) out[i] = e4m3(b.get(i)); }
            case F8_E5M2 -> { for (int i = 0; i < n; i++) out[i] = f16((short) ((b.get(i) & 0xFF) << 8)); }
            case I64 -> { for (int i = 0; i < n; i++) out[i] = b.getLong(8 * i); }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(4 * i); }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = b.getShort(2 * i); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = b.get(i); }
            case U8, BOOL -> { for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xFF; }
        }
        return out;
    }

    /** IEEE half precision (1-5-10, bias 15) with subnormals, infinities and NaN. */
    static float f16(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >> 10) & 0x1F;
        int man = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (man << 13));
        }
        if (exp == 0) {
            float v = man * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (man << 13));
    }

    /** FP8 E4M3 (the "fn" variant: no infinities, S.1111.111 is NaN, bias 7, max 448). */
    static float e4m3(byte v) {
        int bits = v & 0xFF;
        int sign = (bits >> 7) != 0 ? -1 : 1;
        int exp = (bits >> 3) & 0xF;
        int man = bits & 0x7;
        if (exp == 0xF && man == 0x7) {
            return Float.NaN;
        }
        if (exp == 0) {
            return sign * man * 0x1p-9f;
        }
        return sign * (1 + man / 8f) * (float) Math.scalb(1.0, exp - 7);
    }
}
