package io.jmmdit.model.text.tokenizer;

/** Turns a prompt into the fixed-length id sequence a text encoder consumes. Implementations are thread-safe. */
public interface PromptTokenizer {

    /**
     * Tokenizes {@code text}, adds the model's special tokens, truncates and pads to exactly {@code maxLength}
     * positions (as HF {@code padding="max_length", truncation=True}).
     */
    Encoding encode(String text, int maxLength);

    /** The length the pipelines pad to: 77 for CLIP, 512 for T5. */
    int defaultMaxLength();
}
