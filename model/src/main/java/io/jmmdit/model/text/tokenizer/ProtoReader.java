package io.jmmdit.model.text.tokenizer;

import java.nio.charset.StandardCharsets;

/** Minimal protobuf wire-format reader: varint, fixed64, length-delimited and fixed32 fields. */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int end;

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private ProtoReader(byte[] buf, int from, int to) {
        this.buf = buf;
        this.pos = from;
        this.end = to;
    }

    boolean hasMore() {
        return pos < end;
    }

    /** Next field key: {@code field_number << 3 | wire_type}. */
    int tag() {
        return (int) varint();
    }

    long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = next();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("malformed varint at byte " + pos);
    }

    float fixed32AsFloat() {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            v |= (next() & 0xFF) << (8 * k);
        }
        return Float.intBitsToFloat(v);
    }

    byte[] bytes() {
        int n = length();
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** Reader over an embedded message. */
    ProtoReader message() {
        int n = length();
        ProtoReader sub = new ProtoReader(buf, pos, pos + n);
        pos += n;
        return sub;
    }

    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            default -> throw new IllegalArgumentException("unsupported wire type " + wireType + " at byte " + pos);
        }
    }

    private int length() {
        long n = varint();
        if (n < 0 || n > end - pos) {
            throw new IllegalArgumentException("length " + n + " at byte " + pos + " exceeds the message");
        }
        return (int) n;
    }

    private void advance(int n) {
        if (n > end - pos) {
            throw new IllegalArgumentException("truncated field at byte " + pos);
        }
        pos += n;
    }

    private byte next() {
        if (pos >= end) {
            throw new IllegalArgumentException("truncated message at byte " + pos);
        }
        return buf[pos++];
    }
}
