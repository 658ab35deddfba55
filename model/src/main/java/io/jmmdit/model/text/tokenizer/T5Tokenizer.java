package io.jmmdit.model.text.tokenizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * T5's sentencepiece unigram tokenizer as FLUX/SD3 call it ({@code T5TokenizerFast}, same ids as
 * {@code SentencePieceProcessor.encode}): {@link SentencePieceNormalizer}, {@link UnigramModel} Viterbi, runs of
 * unknown pieces fused into one {@code <unk>} (sentencepiece {@code PopulateSentencePieceText}), then the first
 * {@code maxLength − 1} ids + {@code </s>}, padded with {@code <pad>}.
 */
public final class T5Tokenizer implements PromptTokenizer {

    public static final String EOS = "</s>";
    public static final String PAD = "<pad>";

    private final SentencePieceNormalizer normalizer;
    private final UnigramModel unigram;
    private final Token eos;
    private final Token pad;
    private final int defaultMaxLength;

    T5Tokenizer(SentencePieceModel model, int defaultMaxLength) {
        if (defaultMaxLength < 1) {
            throw new IllegalArgumentException("defaultMaxLength " + defaultMaxLength + " < 1");
        }
        this.normalizer = new SentencePieceNormalizer(model);
        this.unigram = new UnigramModel(model);
        this.eos = Token.special(requireId(model, EOS), EOS);
        this.pad = Token.special(requireId(model, PAD), PAD);
        this.defaultMaxLength = defaultMaxLength;
    }

    /** From a sentencepiece {@code spiece.model}. */
    public static T5Tokenizer fromSentencePiece(Path spieceModel, int defaultMaxLength) {
        return new T5Tokenizer(SentencePieceModel.read(spieceModel), defaultMaxLength);
    }

    /** From an HF {@code tokenizer.json} with a {@code Unigram} model and a {@code Precompiled} normalizer. */
    public static T5Tokenizer fromTokenizerJson(Path tokenizerJson, int defaultMaxLength) {
        return new T5Tokenizer(TokenizerJson.readUnigram(tokenizerJson), defaultMaxLength);
    }

    private static int requireId(SentencePieceModel model, String piece) {
        int id = model.idOf(piece);
        if (id < 0) {
            throw new IllegalArgumentException("piece '" + piece + "' is not in the T5 vocabulary");
        }
        return id;
    }

    @Override
    public int defaultMaxLength() {
        return defaultMaxLength;
    }

    @Override
    public Encoding encode(String text, int maxLength) {
        return Token.assemble(null, tokenize(text), eos, pad, maxLength);
    }

    /** All pieces of {@code text}, untruncated, without {@code </s>}. */
    List<Token> tokenize(String text) {
        SentencePieceNormalizer.Normalized n = normalizer.normalize(text);
        List<Token> out = new ArrayList<>();
        boolean prevUnk = false;
        for (UnigramModel.Piece p : unigram.encode(n.text(), n.length())) {
            boolean unk = p.id() == unigram.unkId();
            String surface = new String(n.text(), p.begin(), p.end() - p.begin(), StandardCharsets.UTF_8);
            int[] span = span(n, p.begin(), p.end());
            if (unk && prevUnk) {
                // Merges a run of unknown pieces into one, as sentencepiece does.
                Token last = out.remove(out.size() - 1);
                out.add(new Token(last.id(), last.text() + surface, Math.min(last.start(), span[0]),
                        Math.max(last.end(), span[1])));
            } else {
                out.add(new Token(p.id(), surface, span[0], span[1]));
            }
            prevUnk = unk;
        }
        return out;
    }

    /**
     * Prompt span of normalized bytes [begin, end), leaving out escaped whitespace: {@code ▁cat} spans {@code cat}.
     * A piece made only of {@code ▁} gets the empty span at the start of what follows it (the word it introduces).
     */
    private static int[] span(SentencePieceNormalizer.Normalized n, int begin, int end) {
        int start = Integer.MAX_VALUE;
        int stop = Integer.MIN_VALUE;
        for (int i = begin; i < end; i++) {
            if (!n.space()[i]) {
                start = Math.min(start, n.starts()[i]);
                stop = Math.max(stop, n.ends()[i]);
            }
        }
        if (start <= stop) {
            return new int[] {start, stop};
        }
        int at = n.ends()[end - 1];
        for (int i = end; i < n.length(); i++) {
            if (!n.space()[i]) {
                at = n.starts()[i];
                break;
            }
        }
        return new int[] {at, at};
    }
}
