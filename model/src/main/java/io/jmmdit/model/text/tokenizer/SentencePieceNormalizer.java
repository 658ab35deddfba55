package io.jmmdit.model.text.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * sentencepiece {@code Normalizer::Normalize}: precompiled-charsmap rules applied longest-prefix-first over the UTF-8
 * input, leading/trailing/repeated whitespace removed ({@code remove_extra_whitespaces}), a {@code ▁} prepended
 * ({@code add_dummy_prefix}) and spaces escaped to {@code ▁} ({@code escape_whitespaces}). Where sentencepiece keeps
 * only {@code norm_to_orig} (the start of the consumed input), every output byte here keeps the UTF-16 span of the
 * input chunk it was produced from, and whether it is an escaped space.
 */
final class SentencePieceNormalizer {

    static final String SPACE_SYMBOL = "\u2581";
    private static final byte[] SPACE = SPACE_SYMBOL.getBytes(StandardCharsets.UTF_8);

    /**
     * Normalized UTF-8 bytes {@code text[0, length)}; byte {@code i} came from the prompt's UTF-16 range
     * [starts[i], ends[i]) and {@code space[i]} tells whether it belongs to an escaped whitespace.
     */
    record Normalized(byte[] text, int length, int[] starts, int[] ends, boolean[] space) {
    }

    private final PrecompiledCharsMap charsMap;
    private final boolean addDummyPrefix;
    private final boolean removeExtraWhitespaces;
    private final boolean escapeWhitespaces;

    SentencePieceNormalizer(SentencePieceModel model) {
        this.charsMap = model.precompiledCharsmap().length == 0 ? null
                : new PrecompiledCharsMap(model.precompiledCharsmap());
        this.addDummyPrefix = model.addDummyPrefix();
        this.removeExtraWhitespaces = model.removeExtraWhitespaces();
        this.escapeWhitespaces = model.escapeWhitespaces();
    }

    Normalized normalize(String text) {
        Utf8 input = new Utf8(text);
        Output out = new Output(input.length * 3 + SPACE.length);
        int pos = 0;
        if (removeExtraWhitespaces) {
            // Ignores heading space.
            while (pos < input.length) {
                PrecompiledCharsMap.Rule p = normalizePrefix(input.bytes, pos, input.length);
                if (!(p.replacement().length == 1 && p.replacement()[0] == ' ')) {
                    break;
                }
                pos += p.length();
            }
        }
        if (pos == input.length) {
            return out.build();
        }
        if (addDummyPrefix) {
            int at = input.utf16[pos];
            out.addSpace(at, at);
        }
        boolean prevSpace = removeExtraWhitespaces;
        while (pos < input.length) {
            PrecompiledCharsMap.Rule p = normalizePrefix(input.bytes, pos, input.length);
            byte[] sp = p.replacement();
            int start = input.utf16[pos];
            int end = input.utf16[pos + p.length()];
            int k = 0;
            // Removes heading spaces of this chunk if the previous chunk ended with whitespace.
            while (prevSpace && k < sp.length && sp[k] == ' ') {
                k++;
            }
            if (k < sp.length) {
                for (; k < sp.length; k++) {
                    if (escapeWhitespaces && sp[k] == ' ') {
                        out.addSpace(start, end);
                    } else {
                        out.add(sp[k], start, end, sp[k] == ' ');
                    }
                }
                prevSpace = sp[sp.length - 1] == ' ';
            }
            pos += p.length();
            if (!removeExtraWhitespaces) {
                prevSpace = false;
            }
        }
        if (removeExtraWhitespaces) {
            // Ignores trailing space (the escaped symbol when escaping, else ' ').
            byte[] space = escapeWhitespaces ? SPACE : new byte[] {' '};
            while (out.endsWith(space)) {
                out.length -= space.length;
            }
        }
        return out.build();
    }

    /**
     * {@code Normalizer::NormalizePrefix}: the longest charsmap rule, else the next UTF-8 char copied as is
     * (our input is well-formed: lone surrogates were encoded as U+FFFD).
     */
    private PrecompiledCharsMap.Rule normalizePrefix(byte[] input, int from, int to) {
        PrecompiledCharsMap.Rule rule = charsMap == null ? null : charsMap.longestPrefix(input, from, to);
        if (rule != null) {
            return rule;
        }
        int n = Math.min(Utf8.charLength(input[from]), to - from);
        return new PrecompiledCharsMap.Rule(n, Arrays.copyOfRange(input, from, from + n));
    }

    /** The prompt as UTF-8 with, for every byte offset (and the end), the UTF-16 offset of its char. */
    static final class Utf8 {
        final byte[] bytes;
        final int length;
        final int[] utf16;

        Utf8(String text) {
            byte[] b = new byte[text.length() * 3];
            int[] map = new int[text.length() * 3 + 1];
            int n = 0;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                byte[] enc = cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE
                        ? "\uFFFD".getBytes(StandardCharsets.UTF_8)
                        : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                for (byte e : enc) {
                    b[n] = e;
                    map[n++] = i;
                }
                i += Character.charCount(cp);
            }
            map[n] = text.length();
            this.bytes = b;
            this.length = n;
            this.utf16 = map;
        }

        /** sentencepiece {@code OneCharLen}: UTF-8 sequence length from the lead byte. */
        static int charLength(byte lead) {
            int b = lead & 0xFF;
            if (b < 0xC0) {
                return 1;
            }
            return b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        }
    }

    /** Growable normalized output. */
    private static final class Output {
        byte[] text;
        int[] starts;
        int[] ends;
        boolean[] space;
        int length;

        Output(int capacity) {
            text = new byte[capacity];
            starts = new int[capacity];
            ends = new int[capacity];
            space = new boolean[capacity];
        }

        void add(byte b, int start, int end, boolean isSpace) {
            if (length == text.length) {
                int n = 2 * length + SPACE.length;
                text = Arrays.copyOf(text, n);
                starts = Arrays.copyOf(starts, n);
                ends = Arrays.copyOf(ends, n);
                space = Arrays.copyOf(space, n);
            }
            text[length] = b;
            starts[length] = start;
            ends[length] = end;
            space[length] = isSpace;
            length++;
        }

        void addSpace(int start, int end) {
            for (byte b : SPACE) {
                add(b, start, end, true);
            }
        }

        boolean endsWith(byte[] suffix) {
            return length >= suffix.length
                    && Arrays.equals(text, length - suffix.length, length, suffix, 0, suffix.length);
        }

        Normalized build() {
            return new Normalized(text, length, starts, ends, space);
        }
    }
}
