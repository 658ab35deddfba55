package io.jmmdit.model.text.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What transformers' slow {@code CLIPTokenizer} does to the text when ftfy is not installed: {@code BasicTokenizer(
 * do_lower_case=True, strip_accents=False, do_split_on_punc=False, tokenize_chinese_chars=True).tokenize} —
 * {@code _clean_text}, spaces around CJK ideographs, NFC, whitespace split, {@code lower()} per word. Every output char
 * keeps the UTF-16 span of the prompt characters it came from.
 */
final class ClipTextCleaner {

    /** Inclusive [first, last] ranges, see {@link #isUnicode14Addition}. */
    private static final int[] UNICODE_14_KEPT = {
        0x20C0, 0x20C0, 0x9FFD, 0x9FFF, 0x1F6DD, 0x1F6DF, 0x1F7F0, 0x1F7F0, 0x1F979, 0x1F979, 0x1F9CC, 0x1F9CC,
        0x1FA7B, 0x1FA7C, 0x1FAA9, 0x1FAAC, 0x1FAB7, 0x1FABA, 0x1FAC3, 0x1FAC5, 0x1FAD7, 0x1FAD9, 0x1FAE0, 0x1FAE7,
        0x1FAF0, 0x1FAF6, 0x2A6DE, 0x2A6DF, 0x2B735, 0x2B738,
    };

    private static final int CAPITAL_SIGMA = 0x03A3;

    /** Word_Break MidLetter, MidNumLet and Single_Quote chars (all in the BMP). */
    private static final String MID_LETTER_OR_QUOTE =
            "'.:\u00B7\u0387\u055F\u05F4\u2018\u2019\u2024\u2027\uFE13\uFE52\uFE55\uFF07\uFF0E\uFF1A";

    private ClipTextCleaner() {
    }

    static List<NormalizedWord> words(String text) {
        List<NormalizedWord> out = new ArrayList<>();
        WordBuilder word = new WordBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isDropped(cp)) {
                // _clean_text: `if cp == 0 or cp == 0xFFFD or _is_control(char): continue`
            } else if (isSeparator(cp)) {
                word.flushTo(out);
            } else if (isCjk(cp)) {
                // _tokenize_chinese_chars puts spaces around the ideograph: it becomes a word of its own
                word.flushTo(out);
                word.append(cp, i, next);
                word.flushTo(out);
            } else {
                word.append(cp, i, next);
            }
            i = next;
        }
        word.flushTo(out);
        return out;
    }

    /** {@code _is_control}: Unicode category C* except tab, newline, carriage return; plus NUL and U+FFFD. */
    private static boolean isDropped(int cp) {
        if (cp == 0 || cp == 0xFFFD) {
            return true;
        }
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE -> true;
            case Character.UNASSIGNED -> !isUnicode14Addition(cp);
            default -> false;
        };
    }

    /**
     * Code points Java 17 (Unicode 13) reports as unassigned but Python 3.11's {@code unicodedata} (Unicode 14;
     * Debian 12's Python, which the goldens' environment describes) assigns, limited to those the rest of this pipeline then treats exactly as
     * Python does: the new emoji (So), CJK ideographs (Lo, single-char words anyway) and U+20C0 SOM SIGN (Sc) —
     * for the regex they, like any non-letter non-digit, fall in {@code [^\s\p{L}\p{N}]+}. The other Unicode 14
     * letters (new scripts) would also need Unicode 14 letter classes and are not covered.
     */
    private static boolean isUnicode14Addition(int cp) {
        for (int k = 0; k < UNICODE_14_KEPT.length; k += 2) {
            if (cp >= UNICODE_14_KEPT[k] && cp <= UNICODE_14_KEPT[k + 1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code _is_whitespace} (space, tab, newline, CR, category Zs — mapped to a space) and what Python's
     * {@code str.split()} further splits on among the surviving chars: U+2028 (Zl) and U+2029 (Zp).
     */
    private static boolean isSeparator(int cp) {
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** {@code _is_chinese_char}: the CJK Unified Ideographs blocks (not kana, not hangul). */
    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /**
     * NFC with offsets: a segment — a char plus the marks (and Hangul medial/final jamo) after it — is normalized on
     * its own and its output chars get the span of its input chars. With Java 17's Unicode data every second element
     * of a canonical composition pair is such a continuation, so the segments give NFC of the whole word; should
     * other data ever compose across a cut, the whole word's NFC is used with the whole word's span for each char.
     */
    private static NormalizedWord nfc(NormalizedWord w) {
        String s = w.text();
        if (Normalizer.isNormalized(s, Normalizer.Form.NFC)) {
            return w;
        }
        WordBuilder out = new WordBuilder();
        for (int i = 0; i < s.length(); ) {
            int j = i + Character.charCount(s.codePointAt(i));
            while (j < s.length() && continuesSegment(s.codePointAt(j))) {
                j += Character.charCount(s.codePointAt(j));
            }
            out.appendAll(nfc(s.substring(i, j)), w.starts()[i], w.ends()[j - 1]);
            i = j;
        }
        NormalizedWord bySegments = out.build();
        String whole = nfc(s);
        if (bySegments.text().equals(whole)) {
            return bySegments;
        }
        WordBuilder coarse = new WordBuilder();
        coarse.appendAll(whole, w.starts()[0], w.ends()[s.length() - 1]);
        return coarse.build();
    }

    private static boolean continuesSegment(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK || (cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF);
    }

    private static String nfc(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFC);
    }

    /**
     * Python {@code str.lower()}: per code point full lower-casing ({@code toLowerCase(Locale.ROOT)}, e.g.
     * {@code İ} → {@code i̇}), except capital sigma, which becomes {@code ς} in CPython's Final_Sigma context
     * ({@code handle_capital_sigma}: a cased char before it and none after it, skipping case-ignorable chars). Java's
     * own {@code String.toLowerCase} decides final sigma by word boundaries instead ({@code ΟΣ7} → {@code οσ7}, where
     * Python gives {@code ος7}).
     */
    private static NormalizedWord lower(NormalizedWord w) {
        String s = w.text();
        WordBuilder out = new WordBuilder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            String lower = cp == CAPITAL_SIGMA ? (isFinalSigma(s, i) ? "\u03C2" : "\u03C3")
                    : new String(Character.toChars(cp)).toLowerCase(Locale.ROOT);
            out.appendAll(lower, w.starts()[i], w.ends()[i]);
            i += Character.charCount(cp);
        }
        return out.build();
    }

    private static boolean isFinalSigma(String s, int at) {
        int j = at;
        while (j > 0 && isCaseIgnorable(s.codePointBefore(j))) {
            j -= Character.charCount(s.codePointBefore(j));
        }
        if (j == 0 || !isCased(s.codePointBefore(j))) {
            return false;
        }
        j = at + 1;
        while (j < s.length() && isCaseIgnorable(s.codePointAt(j))) {
            j += Character.charCount(s.codePointAt(j));
        }
        return j == s.length() || !isCased(s.codePointAt(j));
    }

    /** Unicode Cased: Lowercase, Uppercase or Lt. */
    private static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    /** Unicode Case_Ignorable: Mn, Me, Cf, Lm, Sk, or Word_Break MidLetter, MidNumLet, Single_Quote. */
    private static boolean isCaseIgnorable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT, Character.MODIFIER_LETTER,
                    Character.MODIFIER_SYMBOL -> true;
            default -> MID_LETTER_OR_QUOTE.indexOf(cp) >= 0;
        };
    }

    /** Accumulates a word's chars and spans. */
    private static final class WordBuilder {
        private final StringBuilder text = new StringBuilder();
        private int[] starts = new int[16];
        private int[] ends = new int[16];

        void append(int cp, int start, int end) {
            appendAll(new String(Character.toChars(cp)), start, end);
        }

        void appendAll(String chars, int start, int end) {
            for (int k = 0; k < chars.length(); k++) {
                int n = text.length();
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, 2 * n);
                    ends = Arrays.copyOf(ends, 2 * n);
                }
                text.append(chars.charAt(k));
                starts[n] = start;
                ends[n] = end;
            }
        }

        NormalizedWord build() {
            int n = text.length();
            return new NormalizedWord(text.toString(), Arrays.copyOf(starts, n), Arrays.copyOf(ends, n));
        }

        /** Ends the current word, NFC + lower-cases it (BasicTokenizer order) and adds it to {@code out}. */
        void flushTo(List<NormalizedWord> out) {
            if (text.length() > 0) {
                out.add(lower(nfc(build())));
                text.setLength(0);
            }
        }
    }
}
