package io.jmmdit.model.text.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * transformers' slow {@code CLIPTokenizer} as FLUX/SD3 call it, on the no-ftfy path: {@link ClipTextCleaner}, the
 * CLIP pre-tokenizer regex, byte-level BPE ({@link ByteLevelBpe}), then {@code [BOS] + tokens[:maxLength-2] + [EOS]}
 * padded with the pad token.
 */
public final class ClipTokenizer implements PromptTokenizer {

    public static final String BOS = "<|startoftext|>";
    public static final String EOS = "<|endoftext|>";

    /** {@code CLIPTokenizer.pat}, {@code re.IGNORECASE}; {@code \s} is Unicode-aware as in the {@code regex} module. */
    private static final Pattern PATTERN = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

    /** CLIPTokenizer reads {@code merges.txt} lines {@code [1 : 49152 - 256 - 2 + 1]}. */
    private static final int MAX_MERGES = 49152 - 256 - 2;

    private final Map<String, Integer> vocab;
    private final ByteLevelBpe bpe;
    private final Token bos;
    private final Token eos;
    private final Token pad;
    private final int defaultMaxLength;

    /**
     * @param vocab      token → id ({@code vocab.json}); must contain {@link #BOS}, {@link #EOS} and {@code padToken}
     * @param merges     merge pairs in rank order
     * @param padToken   {@code <|endoftext|>} for FLUX and SD3's CLIP-L, {@code !} for SD3's CLIP-G
     */
    public ClipTokenizer(Map<String, Integer> vocab, List<String[]> merges, String padToken, int defaultMaxLength) {
        this.vocab = Map.copyOf(vocab);
        this.bpe = new ByteLevelBpe(merges, Set.of(BOS, EOS));
        this.bos = Token.special(id(BOS), BOS);
        this.eos = Token.special(id(EOS), EOS);
        this.pad = Token.special(id(padToken), padToken);
        if (defaultMaxLength < 2) {
            throw new IllegalArgumentException("defaultMaxLength " + defaultMaxLength + " < 2");
        }
        this.defaultMaxLength = defaultMaxLength;
    }

    /** Reads HF {@code vocab.json} and {@code merges.txt}. */
    public static ClipTokenizer load(Path vocabJson, Path mergesTxt, String padToken, int defaultMaxLength) {
        Map<String, Integer> vocab;
        List<String[]> merges = new ArrayList<>();
        try {
            vocab = new ObjectMapper().readValue(vocabJson.toFile(), new TypeReference<Map<String, Integer>>() { });
            List<String> lines = Files.readAllLines(mergesTxt, StandardCharsets.UTF_8);
            // The first line is the "#version" header; CLIPTokenizer skips it unconditionally.
            for (String line : lines.subList(Math.min(1, lines.size()), Math.min(lines.size(), MAX_MERGES + 1))) {
                String[] pair = line.trim().split(" ");
                if (pair.length != 2) {
                    throw new IllegalArgumentException(mergesTxt + ": malformed merge line '" + line + "'");
                }
                merges.add(pair);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CLIP vocabulary " + vocabJson + " / " + mergesTxt, e);
        }
        return new ClipTokenizer(vocab, merges, padToken, defaultMaxLength);
    }

    private int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("token '" + token + "' is not in the CLIP vocabulary");
        }
        return id;
    }

    @Override
    public int defaultMaxLength() {
        return defaultMaxLength;
    }

    @Override
    public Encoding encode(String text, int maxLength) {
        return Token.assemble(bos, tokenize(text), eos, pad, maxLength);
    }

    /** All BPE tokens of {@code text}, untruncated, without BOS/EOS. */
    List<Token> tokenize(String text) {
        List<Token> out = new ArrayList<>();
        for (NormalizedWord word : ClipTextCleaner.words(text)) {
            Matcher m = PATTERN.matcher(word.text());
            while (m.find()) {
                addMatch(word, m.start(), m.end(), out);
            }
        }
        return out;
    }

    /** UTF-8 encodes one regex match, runs BPE on it, and gives each token the span of the chars its bytes encode. */
    private void addMatch(NormalizedWord word, int from, int to, List<Token> out) {
        String s = word.text().substring(from, to);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int[] charOfByte = new int[bytes.length];
        int b = 0;
        for (int c = from; c < to; ) {
            int cp = word.text().codePointAt(c);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            for (int k = 0; k < n; k++) {
                charOfByte[b++] = c;
            }
            c += Character.charCount(cp);
        }
        int next = 0;
        for (String token : bpe.encode(ByteLevelBpe.bytesToChars(bytes))) {
            int nBytes = token.endsWith(ByteLevelBpe.END_OF_WORD)
                    ? token.length() - ByteLevelBpe.END_OF_WORD.length() : token.length();
            int start = Integer.MAX_VALUE;
            int end = Integer.MIN_VALUE;
            for (int k = next; k < next + nBytes; k++) {
                start = Math.min(start, word.starts()[charOfByte[k]]);
                end = Math.max(end, word.ends()[charOfByte[k]]);
            }
            next += nBytes;
            // _convert_token_to_id: unknown tokens map to unk_token (<|endoftext|>)
            out.add(new Token(vocab.getOrDefault(token, eos.id()), token, start, end));
        }
    }
}
