package io.jmmdit.tests;

import java.io.IOException;
import java.util.List;

import io.jmmdit.model.testutil.TestData;
import io.jmmdit.editing.flux.FluxEditModel;
import io.jmmdit.engine.Tensor;
import io.jmmdit.model.image.Images;
import io.jmmdit.model.pipeline.FluxPipeline;
import io.jmmdit.model.pipeline.FluxPromptEncoder;

/** The bundled demo model loaded once per test class: 64×64, T5 length 32, no guidance input. */
final class DemoModel implements AutoCloseable {

    static final String YELLOW = "a picture of a large yellow square in the center on a black background";
    static final String RED = "a picture of a large red square in the center on a black background";

    final FluxEditModel model;
    final Tensor image;
    final Tensor latent;
    final List<FluxEditModel.Prompt> prompts;

    DemoModel(String... texts) throws IOException {
        try (FluxPromptEncoder enc = FluxPromptEncoder.load(TestData.demoModel())) {
            prompts = java.util.Arrays.stream(texts).map(t -> new FluxEditModel.Prompt(t, enc.encode(t, null, 32))).toList();
        }
        model = new FluxEditModel(FluxPipeline.load(TestData.demoModel()), 64, 64, 1f, null);
        image = Images.toTensor(Images.read(TestData.demoModel().resolve("samples/test_0.png"), Images.DEFAULT_MAX_PIXELS));
        latent = model.encodeImage(image, null);
    }

    FluxEditModel.Prompt prompt(int i) {
        return prompts.get(i);
    }

    /** ‖a − b‖ / ‖b‖. */
    static double relErr(Tensor a, Tensor b) {
        try (Tensor d = a.sub(b)) {
            return d.norm2() / b.norm2();
        }
    }

    @Override
    public void close() {
        prompts.forEach(FluxEditModel.Prompt::close);
        Tensor.closeAll(image, latent);
        model.close();
    }
}
