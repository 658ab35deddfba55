package io.jmmdit.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class DtypesTest {

    private static void same(float expected, float actual, String what) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                what + ": expected " + expected + " got " + actual);
    }

    @Test
    void bf16BitPatterns() {
        same(1f, Dtypes.bf16ToFloat((short) 0x3F80), "one");
        same(-0f, Dtypes.bf16ToFloat((short) 0x8000), "negative zero");
        same(Float.POSITIVE_INFINITY, Dtypes.bf16ToFloat((short) 0x7F80), "+inf");
        same(Float.NEGATIVE_INFINITY, Dtypes.bf16ToFloat((short) 0xFF80), "-inf");
        assertTrue(Float.isNaN(Dtypes.bf16ToFloat((short) 0x7FC0)));
        assertTrue(Float.isNaN(Dtypes.bf16ToFloat((short) 0xFF81)));
        same(Float.intBitsToFloat(0x7F7F0000), Dtypes.bf16ToFloat((short) 0x7F7F), "max finite 3.3895e38");
        same(0x1p-133f, Dtypes.bf16ToFloat((short) 0x0001), "min subnormal");
        same(0x1p-126f, Dtypes.bf16ToFloat((short) 0x0080), "min normal");
        same(0.921875f, Dtypes.bf16ToFloat((short) 0x3F6C), "golden value");
    }

    @Test
    void f16BitPatterns() {
        same(1f, Dtypes.f16ToFloat((short) 0x3C00), "one");
        same(-2f, Dtypes.f16ToFloat((short) 0xC000), "minus two");
        same(0f, Dtypes.f16ToFloat((short) 0x0000), "zero");
        same(-0f, Dtypes.f16ToFloat((short) 0x8000), "negative zero");
        same(0x1p-24f, Dtypes.f16ToFloat((short) 0x0001), "min subnormal");
        same(-0x1p-24f, Dtypes.f16ToFloat((short) 0x8001), "negative min subnormal");
        same(0x3FFp-24f, Dtypes.f16ToFloat((short) 0x03FF), "max subnormal");
        same(0x1p-14f, Dtypes.f16ToFloat((short) 0x0400), "min normal");
        same(65504f, Dtypes.f16ToFloat((short) 0x7BFF), "max finite");
        same(-65504f, Dtypes.f16ToFloat((short) 0xFBFF), "min finite");
        same(Float.POSITIVE_INFINITY, Dtypes.f16ToFloat((short) 0x7C00), "+inf");
        same(Float.NEGATIVE_INFINITY, Dtypes.f16ToFloat((short) 0xFC00), "-inf");
        assertTrue(Float.isNaN(Dtypes.f16ToFloat((short) 0x7E00)));
        assertTrue(Float.isNaN(Dtypes.f16ToFloat((short) 0x7C01)), "signalling NaN stays NaN");
        assertTrue(Float.isNaN(Dtypes.f16ToFloat((short) 0xFFFF)));
        same(0.333251953125f, Dtypes.f16ToFloat((short) 0x3555), "1/3 rounded");
    }

    @Test
    void e4m3fnBitPatterns() {
        same(1f, Dtypes.e4m3ToFloat((byte) 0x38), "one");
        same(0f, Dtypes.e4m3ToFloat((byte) 0x00), "zero");
        same(-0f, Dtypes.e4m3ToFloat((byte) 0x80), "negative zero");
        same(0x1p-9f, Dtypes.e4m3ToFloat((byte) 0x01), "min subnormal");
        same(-0x1p-9f, Dtypes.e4m3ToFloat((byte) 0x81), "negative min subnormal");
        same(7 * 0x1p-9f, Dtypes.e4m3ToFloat((byte) 0x07), "max subnormal");
        same(0x1p-6f, Dtypes.e4m3ToFloat((byte) 0x08), "min normal");
        same(448f, Dtypes.e4m3ToFloat((byte) 0x7E), "max finite");
        same(-448f, Dtypes.e4m3ToFloat((byte) 0xFE), "min finite");
        same(240f, Dtypes.e4m3ToFloat((byte) 0x77), "S.1110.111 is finite (no inf in fn)");
        same(256f, Dtypes.e4m3ToFloat((byte) 0x78), "S.1111.000 is finite");
        assertTrue(Float.isNaN(Dtypes.e4m3ToFloat((byte) 0x7F)));
        assertTrue(Float.isNaN(Dtypes.e4m3ToFloat((byte) 0xFF)));
        for (int i = 0; i < 256; i++) {
            if ((i & 0x7F) != 0x7F) {
                assertTrue(Float.isFinite(Dtypes.e4m3ToFloat((byte) i)), "only S.1111.111 is NaN, no infinities: " + i);
            }
        }
    }

    @Test
    void e5m2BitPatterns() {
        same(1f, Dtypes.e5m2ToFloat((byte) 0x3C), "one");
        same(-0f, Dtypes.e5m2ToFloat((byte) 0x80), "negative zero");
        same(0x1p-16f, Dtypes.e5m2ToFloat((byte) 0x01), "min subnormal");
        same(3 * 0x1p-16f, Dtypes.e5m2ToFloat((byte) 0x03), "max subnormal");
        same(0x1p-14f, Dtypes.e5m2ToFloat((byte) 0x04), "min normal");
        same(57344f, Dtypes.e5m2ToFloat((byte) 0x7B), "max finite");
        same(Float.POSITIVE_INFINITY, Dtypes.e5m2ToFloat((byte) 0x7C), "+inf");
        same(Float.NEGATIVE_INFINITY, Dtypes.e5m2ToFloat((byte) 0xFC), "-inf");
        assertTrue(Float.isNaN(Dtypes.e5m2ToFloat((byte) 0x7D)));
        assertTrue(Float.isNaN(Dtypes.e5m2ToFloat((byte) 0xFF)));
    }

    @Test
    void encodersRoundToNearestEvenAndOverflow() {
        assertEquals((short) 0x3F80, Dtypes.floatToBf16(1f));
        assertEquals((short) 0x3F80, Dtypes.floatToBf16(Float.intBitsToFloat(0x3F808000)), "tie to even (down)");
        assertEquals((short) 0x3F82, Dtypes.floatToBf16(Float.intBitsToFloat(0x3F818000)), "tie to even (up)");
        assertEquals((short) 0x3F81, Dtypes.floatToBf16(Float.intBitsToFloat(0x3F808001)), "above tie");
        assertEquals((short) 0x7F80, Dtypes.floatToBf16(Float.MAX_VALUE), "rounds past max to inf");
        assertEquals((short) 0x8000, Dtypes.floatToBf16(-0f));
        assertEquals((short) 0x7BFF, Dtypes.floatToF16(65519f), "just under the overflow threshold");
        assertEquals((short) 0x7C00, Dtypes.floatToF16(65520f), "overflow threshold rounds to inf");
        assertEquals((short) 0x0001, Dtypes.floatToF16(0x1.8p-25f), "0.75 ulp of min subnormal rounds up");
        assertEquals((short) 0x0000, Dtypes.floatToF16(0x1p-25f), "half of min subnormal ties to even zero");
        assertEquals((short) 0x8000, Dtypes.floatToF16(-0x1p-30f), "underflow keeps the sign");
        assertEquals((byte) 0x7E, Dtypes.floatToE4m3(464f), "tie between 448 and 480 goes to even 448");
        assertEquals((byte) 0x7F, Dtypes.floatToE4m3(465f), "over max → NaN (fn has no inf)");
        assertEquals((byte) 0xFF, Dtypes.floatToE4m3(Float.NEGATIVE_INFINITY));
        assertEquals((byte) 0x7F, Dtypes.floatToE4m3(Float.NaN));
        assertEquals((byte) 0x7B, Dtypes.floatToE5m2(57344f));
        assertEquals((byte) 0x7C, Dtypes.floatToE5m2(61440f), "tie at overflow threshold → inf");
        assertEquals((byte) 0x7B, Dtypes.floatToE5m2(61439f));
        assertTrue(Float.isNaN(Dtypes.e5m2ToFloat(Dtypes.floatToE5m2(Float.NaN))));
    }

    @Test
    void everyMinifloatCodeRoundTrips() {
        for (int i = 0; i < 256; i++) {
            byte b = (byte) i;
            if (!Float.isNaN(Dtypes.e4m3ToFloat(b))) {
                assertEquals(b, Dtypes.floatToE4m3(Dtypes.e4m3ToFloat(b)), "e4m3 " + i);
            }
            if (!Float.isNaN(Dtypes.e5m2ToFloat(b))) {
                assertEquals(b, Dtypes.floatToE5m2(Dtypes.e5m2ToFloat(b)), "e5m2 " + i);
            }
        }
        for (int i = 0; i < 65536; i++) {
            short s = (short) i;
            if (!Float.isNaN(Dtypes.f16ToFloat(s))) {
                assertEquals(s, Dtypes.floatToF16(Dtypes.f16ToFloat(s)), "f16 " + i);
            }
            if (!Float.isNaN(Dtypes.bf16ToFloat(s))) {
                assertEquals(s, Dtypes.floatToBf16(Dtypes.bf16ToFloat(s)), "bf16 " + i);
            }
        }
    }

    /** Rounding agrees with an independent reference: the nearest of the two neighbouring codes, ties to even. */
    @Property(tries = 2000)
    void f16EncoderIsNearestEven(@ForAll float f) {
        if (Float.isNaN(f) || Math.abs(f) >= 65520f) {
            return;
        }
        short h = Dtypes.floatToF16(f);
        double v = Dtypes.f16ToFloat(h);
        double err = Math.abs(v - f);
        for (int d = -1; d <= 1; d += 2) {
            short n = (short) (h + d);
            float nv = Dtypes.f16ToFloat(n);
            if (Float.isFinite(nv) && ((n ^ h) & 0x8000) == 0) {
                double nerr = Math.abs((double) nv - f);
                assertTrue(err < nerr || (err == nerr && (h & 1) == 0), f + " → " + v + " but " + nv + " is nearer");
            }
        }
    }

    @Test
    void integerAndBoolDecoding() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).flip();
        same(0x1p64f, Dtypes.toFloat(b, DType.U64, 1)[0], "u64 max rounds to 2^64");
        same(-1f, Dtypes.toFloat(b, DType.I64, 1)[0], "i64 -1");
        same(4294967295f, Dtypes.toFloat(b, DType.U32, 2)[0], "u32 max");
        same(65535f, Dtypes.toFloat(b, DType.U16, 4)[0], "u16 max");
        same(-1f, Dtypes.toFloat(b, DType.I8, 8)[0], "i8 -1");
        same(255f, Dtypes.toFloat(b, DType.U8, 8)[0], "u8 255");
        same(1f, Dtypes.toFloat(b, DType.BOOL, 8)[0], "bool non-zero");
        assertEquals(0x1p63f, Dtypes.unsignedLongToFloat(Long.MIN_VALUE));
        assertEquals(0x1p63f, Dtypes.unsignedLongToFloat(0x8000_0080_0000_0000L), "tie rounds to even");
        assertEquals(0x1.000002p63f, Dtypes.unsignedLongToFloat(0x8000_0080_0000_0001L), "sticky bit breaks the tie");
    }

    @Test
    void readsFromPositionWhateverTheOrder() {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0xDEADBEEF).putFloat(4, 1.5f).putFloat(8, -2f);
        b.order(ByteOrder.BIG_ENDIAN).position(4);
        assertArrayEquals(new float[] {1.5f, -2f}, Dtypes.toFloat(b, DType.F32, 2));
        assertEquals(4, b.position());
        assertThrows(IllegalArgumentException.class, () -> Dtypes.toFloat(b, DType.F32, 3));
    }

    @Test
    void integerEncodingIsExactOrRefused() {
        assertThrows(IllegalArgumentException.class, () -> Dtypes.fromFloat(new float[] {0.5f}, DType.I32));
        assertThrows(IllegalArgumentException.class, () -> Dtypes.fromFloat(new float[] {256f}, DType.U8));
        assertThrows(IllegalArgumentException.class, () -> Dtypes.fromFloat(new float[] {Float.NaN}, DType.I64));
        assertThrows(IllegalArgumentException.class, () -> Dtypes.fromFloat(new float[] {2f}, DType.BOOL));
        ByteBuffer b = ByteBuffer.wrap(Dtypes.fromFloat(new float[] {0x1p63f}, DType.U64)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Long.MIN_VALUE, b.getLong());
    }
}
