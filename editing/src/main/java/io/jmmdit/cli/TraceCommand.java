package io.jmmdit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jmmdit.engine.Tensor;
import io.jmmdit.model.flux.FluxConfig;
import io.jmmdit.model.flux.FluxTransformer;
import io.jmmdit.model.text.ClipTextModel;
import io.jmmdit.model.text.Residency;
import io.jmmdit.model.text.T5Encoder;
import io.jmmdit.model.vae.AutoencoderKL;
import io.jmmdit.weights.SafeTensorsFile;
import io.jmmdit.weights.SafeTensorsWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jmmdit trace}: runs one component on named inputs and writes its outputs plus every hook point / intermediate
 * whose name matches {@code --capture} — the path the parity tests take, for dumping activations into any tool.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Runs one model component on the tensors of --inputs (named as the golden case files) and writes its",
            "outputs and the captured internal tensors to --out.",
            "transformer: hidden_states, encoder_hidden_states, pooled_projections, timestep, guidance, img_ids, txt_ids -> sample",
            "vae: image -> latent_dist_mean, latent_dist_logvar; latent -> decoded",
            "text_encoder(_2): input_ids -> last_hidden_state, pooler_output, text_embeds, penultimate_hidden_state"})
public final class TraceCommand extends JmmditCommand {

    /** What the text encoders always write (where the model has them). */
    private static final Set<String> TEXT_OUTPUTS = Set.of("last_hidden_state", "pooler_output", "text_embeds",
            "penultimate_hidden_state");

    @Option(names = "--model", required = true, description = "Pipeline folder, component folder (config.json) or single-file FLUX checkpoint.")
    Path model;

    @Option(names = "--component", description = "Component of a pipeline folder: transformer (default), vae, text_encoder, text_encoder_2.")
    String component;

    @Option(names = "--config", description = "diffusers config.json for a single-file transformer whose shapes are not FLUX.1's.")
    Path config;

    @Option(names = "--inputs", required = true, description = "safetensors file with the input tensors.")
    Path inputs;

    @Option(names = "--out", required = true, description = "safetensors file to write (atomically).")
    Path out;

    @Option(names = "--capture", description = "Regex over hook-point / intermediate names to write as well.")
    String capture;

    @Override
    protected int execute() throws IOException {
        Path target = resolve();
        String kind = kindOf(target);
        Map<String, Tensor> in = new LinkedHashMap<>();
        Map<String, Tensor> result;
        try (SafeTensorsFile f = SafeTensorsFile.open(inputs)) {
            for (String n : f.names()) {
                in.put(n, f.tensor(n));
            }
            Predicate<String> wanted = capture == null ? n -> false : Pattern.compile(capture).asMatchPredicate();
            Predicate<String> textOutputs = n -> TEXT_OUTPUTS.contains(n) || wanted.test(n);
            result = switch (kind) {
                case "transformer" -> {
                    try (FluxTransformer t = FluxTransformer.load(target, config == null ? null : FluxConfig.load(config), false)) {
                        yield t.trace(in, capture);
                    }
                }
                case "vae" -> {
                    try (AutoencoderKL v = AutoencoderKL.load(target)) {
                        yield v.trace(in, wanted);
                    }
                }
                case "clip" -> {
                    try (ClipTextModel c = ClipTextModel.load(target, Residency.RESIDENT)) {
                        yield c.trace(in, textOutputs);
                    }
                }
                default -> {
                    try (T5Encoder t = T5Encoder.load(target, Residency.STREAMED)) {
                        yield t.trace(in, textOutputs);
                    }
                }
            };
        } finally {
            in.values().forEach(Tensor::close);
        }
        SafeTensorsWriter.write(out, result, Map.of("jmmdit.component", kind, "jmmdit.model", model.toString()), inputs);
        out().println("wrote " + result.size() + " tensors (" + kind + ") to " + out + ": " + String.join(", ", result.keySet()));
        result.values().forEach(Tensor::close);
        return 0;
    }

    private Path resolve() {
        if (Files.isRegularFile(model.resolve("model_index.json"))) {
            String c = component == null ? "transformer" : component;
            Path p = model.resolve(c);
            if (!Files.isDirectory(p)) {
                throw new IllegalArgumentException(model + ": pipeline has no component folder '" + c + "'");
            }
            return p;
        }
        if (!Files.exists(model)) {
            throw new IllegalArgumentException(model + ": no such file or directory");
        }
        return model;
    }

    /** transformer, vae, clip or t5, from the folder's config (diffusers _class_name or transformers architectures). */
    private String kindOf(Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            return "transformer";
        }
        Path cfg = target.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            throw new IllegalArgumentException(target + ": no config.json: cannot tell which model this is");
        }
        JsonNode n = new ObjectMapper().readTree(cfg.toFile());
        String cls = n.path("_class_name").asText(n.path("architectures").path(0).asText(""));
        return switch (cls) {
            case "FluxTransformer2DModel" -> "transformer";
            case "AutoencoderKL" -> "vae";
            case "CLIPTextModel", "CLIPTextModelWithProjection" -> "clip";
            case "T5EncoderModel" -> "t5";
            default -> throw new IllegalArgumentException(cfg + ": unsupported model class '" + cls
                    + "' (expected FluxTransformer2DModel, AutoencoderKL, CLIPTextModel(WithProjection) or T5EncoderModel)");
        };
    }
}
