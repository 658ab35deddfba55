package io.jmmdit.model.text.tokenizer;

import java.util.List;

/** One token with the UTF-16 span [start, end) of the prompt text it came from ({@code -1, -1} for specials). */
record Token(int id, String text, int start, int end) {

    static Token special(int id, String text) {
        return new Token(id, text, -1, -1);
    }

    /**
     * {@code prefix} (may be null) + the first {@code maxLength − fixed} body tokens + {@code suffix}, right-padded
     * with {@code pad} to {@code maxLength} (HF {@code truncation=True, padding="max_length"}).
     */
    static Encoding assemble(Token prefix, List<Token> body, Token suffix, Token pad, int maxLength) {
        int fixed = prefix == null ? 1 : 2;
        if (maxLength < fixed) {
            throw new IllegalArgumentException("maxLength " + maxLength + " < " + fixed + " special tokens");
        }
        int[] ids = new int[maxLength];
        String[] tokens = new String[maxLength];
        int[] starts = new int[maxLength];
        int[] ends = new int[maxLength];
        int n = 0;
        Token[] head = prefix == null ? new Token[0] : new Token[] {prefix};
        List<Token> kept = body.subList(0, Math.min(body.size(), maxLength - fixed));
        for (List<Token> part : List.of(List.of(head), kept, List.of(suffix))) {
            for (Token t : part) {
                ids[n] = t.id;
                tokens[n] = t.text;
                starts[n] = t.start;
                ends[n] = t.end;
                n++;
            }
        }
        int length = n;
        for (; n < maxLength; n++) {
            ids[n] = pad.id;
            tokens[n] = pad.text;
            starts[n] = -1;
            ends[n] = -1;
        }
        return new Encoding(ids, tokens, starts, ends, length);
    }
}
