package io.jmmdit.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jmmdit.editing.flux.FluxEditModel;
import io.jmmdit.engine.Tensor;
import io.jmmdit.model.flux.FluxConfig;
import io.jmmdit.model.hooks.Hooks;
import io.jmmdit.model.image.Images;
import io.jmmdit.model.pipeline.FluxPipeline;
import io.jmmdit.model.pipeline.FluxPromptEncoder;

/**
 * What {@code invert}, {@code edit}, {@code demo} and {@code edit-eval} share: the input image under jmmdit's size
 * policy, prompts encoded first (then the text encoders are freed), then the transformer and VAE.
 *
 * <p>Size policy: an image whose sides are multiples of 16 is used as it is; otherwise it is centre-cropped to the
 * largest multiple of 16 on each side. With {@code size} given, the shorter side is first resized to it (bicubic,
 * aspect ratio kept).
 */
final class FluxSession implements AutoCloseable {

    static final int MULTIPLE = 16;

    final BufferedImage source;
    final Tensor image;
    final List<FluxEditModel.Prompt> prompts;
    /** The T5 length the prompts were encoded with (--max-sequence-length or the model's default). */
    final int maxSequenceLength;
    final FluxEditModel model;

    private FluxSession(BufferedImage source, Tensor image, List<FluxEditModel.Prompt> prompts, int maxSequenceLength, FluxEditModel model) {
        this.source = source;
        this.image = image;
        this.prompts = prompts;
        this.maxSequenceLength = maxSequenceLength;
        this.model = model;
    }

    static FluxSession open(FluxOptions flux, Path imagePath, Integer size, List<String> texts, Hooks extra) throws IOException {
        flux.check();
        BufferedImage src = loadImage(imagePath, size);
        FluxConfig config = FluxConfig.load(flux.model.resolve("transformer").resolve("config.json"));
        int length = flux.maxSequenceLength(config);
        List<FluxEditModel.Prompt> prompts = new ArrayList<>();
        try (FluxPromptEncoder enc = FluxPromptEncoder.load(flux.model)) {
            for (String t : texts) {
                prompts.add(new FluxEditModel.Prompt(t, enc.encode(t, null, length)));
            }
        }
        FluxPipeline pipe = FluxPipeline.load(flux.model, flux.streamed);
        return new FluxSession(src, Images.toTensor(src), prompts, length, new FluxEditModel(pipe, src.getHeight(), src.getWidth(), flux.guidance, extra));
    }

    static BufferedImage loadImage(Path path, Integer size) throws IOException {
        BufferedImage img = Images.read(path, Images.DEFAULT_MAX_PIXELS);
        if (size != null) {
            Images.Size s = Images.shortSideSize(img.getWidth(), img.getHeight(), size, MULTIPLE);
            return Images.resizeCenterCrop(img, s.width(), s.height());
        }
        int w = img.getWidth() / MULTIPLE * MULTIPLE;
        int h = img.getHeight() / MULTIPLE * MULTIPLE;
        if (w == 0 || h == 0) {
            throw new IllegalArgumentException(path + ": image " + img.getWidth() + "x" + img.getHeight() + " is smaller than " + MULTIPLE + " pixels");
        }
        return w == img.getWidth() && h == img.getHeight() ? img : Images.resizeCenterCrop(img, w, h);
    }

    @Override
    public void close() {
        prompts.forEach(FluxEditModel.Prompt::close);
        image.close();
        model.close();
    }
}
