package io.jmmdit.model.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.text.ClipTextModel;
import io.jmmdit.model.text.Residency;
import io.jmmdit.model.text.T5Encoder;
import io.jmmdit.model.text.TextEncoderOutput;
import io.jmmdit.model.text.tokenizer.Encoding;
import io.jmmdit.model.text.tokenizer.PromptTokenizer;
import io.jmmdit.model.text.tokenizer.Tokenizers;

/**
 * FluxPipeline.encode_prompt: CLIP ({@code tokenizer}, {@code text_encoder}) gives the pooled vector from ids padded
 * to 77, T5 ({@code tokenizer_2}, {@code text_encoder_2}) the per-token features from ids padded to
 * {@code max_sequence_length}; no attention masks. Close it (freeing the encoders) before the transformer runs when
 * memory is short: T5-XXL alone is ~19 GB in float32, so it runs block by block from the mapped file when its
 * checkpoint exceeds {@link #STREAM_T5_ABOVE_BYTES}.
 */
public final class FluxPromptEncoder implements AutoCloseable {

    /** T5 checkpoints larger than this run block by block (streamed) instead of being converted whole. */
    public static final long STREAM_T5_ABOVE_BYTES = 4L << 30;

    /** A prompt's pipeline inputs and its T5 tokens (which the editing module aligns). */
    public record Encoded(FluxPrompt prompt, Encoding t5Tokens) implements AutoCloseable {
        @Override
        public void close() {
            prompt.close();
        }
    }

    private final PromptTokenizer clipTokenizer;
    private final PromptTokenizer t5Tokenizer;
    private final ClipTextModel clip;
    private final T5Encoder t5;

    private FluxPromptEncoder(PromptTokenizer clipTokenizer, PromptTokenizer t5Tokenizer, ClipTextModel clip, T5Encoder t5) {
        this.clipTokenizer = clipTokenizer;
        this.t5Tokenizer = t5Tokenizer;
        this.clip = clip;
        this.t5 = t5;
    }

    /** The text side of a diffusers FLUX folder; a missing folder is named. */
    public static FluxPromptEncoder load(Path pipelineFolder) {
        for (String c : new String[] {"tokenizer", "tokenizer_2", "text_encoder", "text_encoder_2"}) {
            if (!Files.isDirectory(pipelineFolder.resolve(c))) {
                throw new IllegalArgumentException(pipelineFolder + ": no " + c + "/ folder: prompts need tokenizer, tokenizer_2, "
                        + "text_encoder and text_encoder_2 (or give prompt embeddings with --embeddings)");
            }
        }
        PromptTokenizer ct = Tokenizers.load(pipelineFolder.resolve("tokenizer"));
        PromptTokenizer tt = Tokenizers.load(pipelineFolder.resolve("tokenizer_2"));
        ClipTextModel clip = ClipTextModel.load(pipelineFolder.resolve("text_encoder"), Residency.RESIDENT);
        try {
            Path t5Folder = pipelineFolder.resolve("text_encoder_2");
            Residency r = sizeOf(t5Folder) > STREAM_T5_ABOVE_BYTES ? Residency.STREAMED : Residency.RESIDENT;
            return new FluxPromptEncoder(ct, tt, clip, T5Encoder.load(t5Folder, r));
        } catch (RuntimeException e) {
            clip.close();
            throw e;
        }
    }

    private static long sizeOf(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.toString().endsWith(".safetensors")).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new IllegalArgumentException(folder + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Encodes {@code prompt} (CLIP) and {@code prompt2} (T5; diffusers uses {@code prompt} when it is null) with T5
     * ids padded to {@code maxSequenceLength} (512 for FLUX.1-dev, 256 for schnell).
     */
    public Encoded encode(String prompt, String prompt2, int maxSequenceLength) {
        Encoding c = clipTokenizer.encode(prompt, clipTokenizer.defaultMaxLength());
        Encoding t = t5Tokenizer.encode(prompt2 == null ? prompt : prompt2, maxSequenceLength);
        Tensor pooled;
        try (TextEncoderOutput o = clip.encode(new int[][] {c.ids()})) {
            pooled = o.pooled().copy();
        }
        try (TextEncoderOutput o = t5.encode(new int[][] {t.ids()})) {
            return new Encoded(new FluxPrompt(o.lastHiddenState().copy(), pooled), t);
        }
    }

    public PromptTokenizer t5Tokenizer() {
        return t5Tokenizer;
    }

    @Override
    public void close() {
        clip.close();
        t5.close();
    }
}
