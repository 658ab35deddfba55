package io.jmmdit.editing;

/** A prompt as a model encodes it (embeddings plus the token ids its text features are aligned by). */
public interface PromptEncoding extends AutoCloseable {

    /** The prompt text. */
    String prompt();

    @Override
    void close();
}
