package io.jmmdit.model.text.tokenizer;

/** A normalized word; char {@code i} of {@code text} came from the prompt's UTF-16 range [starts[i], ends[i]). */
record NormalizedWord(String text, int[] starts, int[] ends) {
}
