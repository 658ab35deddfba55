package io.jmmdit.editing.flux;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.hooks.Hooks;
import io.jmmdit.model.text.tokenizer.Encoding;

/**
 * Image-to-word attention maps of one batch row: at every double block's {@code attn.probs}, the probability mass each
 * image token gives to a word's T5 tokens, averaged over heads, the word's tokens, blocks and calls. Materialising the
 * probabilities costs memory quadratic in the sequence: meant for small images or a few steps.
 */
public final class CrossAttentionMaps {

    private static final String PROBS = "transformer_blocks\\.\\d+\\.attn\\.probs";

    private final int row;
    private final Map<String, int[]> wordTokens = new LinkedHashMap<>();
    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private int textLength;
    private int gridH;
    private int gridW;
    private int calls;

    /** @param row the batch row to record (the target row of an edit batch) */
    public CrossAttentionMaps(int row) {
        this.row = row;
    }

    /** Hooks that record into this map; batches without {@code row} (e.g. inversion) are skipped. */
    public Hooks hooks() {
        Hooks h = new Hooks();
        h.register(PROBS, (name, p) -> {
            if (p.size(0) > row && !wordTokens.isEmpty()) {
                accumulate(p);
            }
            return p;
        });
        return h;
    }

    /** Chooses the words (of {@code prompt}, tokenized as {@code tokens}) and the latent token grid. */
    public void prepare(Encoding tokens, String prompt, List<String> words, int gridH, int gridW) {
        this.textLength = tokens.ids().length;
        this.gridH = gridH;
        this.gridW = gridW;
        for (String w : words) {
            int at = indexOfWord(prompt, w);
            if (at < 0) {
                throw new IllegalArgumentException("--attention-maps: word '" + w + "' is not in the prompt \"" + prompt + "\"");
            }
            int[] pos = tokens.tokenPositionsOf(at, at + w.length());
            if (pos.length == 0) {
                throw new IllegalArgumentException("--attention-maps: word '" + w + "' has no token within the first " + textLength + " tokens");
            }
            wordTokens.put(w, pos);
            sums.put(w, new double[gridH * gridW]);
        }
    }

    private static int indexOfWord(String prompt, String w) {
        String lp = prompt.toLowerCase();
        String lw = w.toLowerCase();
        for (int i = lp.indexOf(lw); i >= 0; i = lp.indexOf(lw, i + 1)) {
            boolean startOk = i == 0 || !Character.isLetterOrDigit(lp.charAt(i - 1));
            int e = i + lw.length();
            boolean endOk = e == lp.length() || !Character.isLetterOrDigit(lp.charAt(e));
            if (startOk && endOk) {
                return i;
            }
        }
        return -1;
    }

    private void accumulate(Tensor p) {
        int heads = (int) p.size(1);
        int seq = (int) p.size(2);
        int images = seq - textLength;
        if (images != gridH * gridW) {
            throw new IllegalStateException("attention over " + seq + " tokens does not match " + textLength + " text + " + gridH + "x" + gridW + " image tokens");
        }
        try (Tensor r = p.select(0, row)) {
            float[] v = r.toFloatArray();
            for (Map.Entry<String, int[]> e : wordTokens.entrySet()) {
                double[] s = sums.get(e.getKey());
                for (int h = 0; h < heads; h++) {
                    for (int q = 0; q < images; q++) {
                        long base = ((long) h * seq + textLength + q) * seq;
                        double a = 0;
                        for (int k : e.getValue()) {
                            a += v[(int) (base + k)];
                        }
                        s[q] += a / (e.getValue().length * heads);
                    }
                }
            }
        }
        calls++;
    }

    /** The averaged map of {@code word} as a [gridH, gridW] tensor. */
    public Tensor map(String word) {
        double[] s = sums.get(word);
        if (s == null) {
            throw new IllegalArgumentException("no attention map recorded for '" + word + "'");
        }
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            f[i] = (float) (s[i] / Math.max(1, calls));
        }
        return Tensor.of(f, gridH, gridW);
    }
}
