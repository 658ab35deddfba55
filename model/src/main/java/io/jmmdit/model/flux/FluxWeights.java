package io.jmmdit.model.flux;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jmmdit.engine.Tensor;
import io.jmmdit.weights.WeightSource;
import io.jmmdit.weights.WeightsException;

/**
 * FLUX weights by diffusers name from either layout, converted to float32 on demand: a diffusers checkpoint
 * ({@code x_embedder.weight}, …) or a Black Forest Labs / ComfyUI single file ({@code img_in.weight}, optionally under
 * {@code model.diffusion_model.}), whose fused q/k/v rows are used as they are and whose final modulation has its
 * [shift; scale] halves swapped into diffusers' [scale; shift].
 */
final class FluxWeights {

    enum Layout { DIFFUSERS, BFL }

    private static final String COMFY_PREFIX = "model.diffusion_model.";

    private final WeightSource src;
    private final Layout layout;
    private final String prefix;

    private FluxWeights(WeightSource src, Layout layout, String prefix) {
        this.src = src;
        this.layout = layout;
        this.prefix = prefix;
    }

    static FluxWeights of(WeightSource src) {
        if (src.contains("x_embedder.weight")) {
            return new FluxWeights(src, Layout.DIFFUSERS, "");
        }
        if (src.contains("img_in.weight")) {
            return new FluxWeights(src, Layout.BFL, "");
        }
        if (src.contains(COMFY_PREFIX + "img_in.weight")) {
            return new FluxWeights(src, Layout.BFL, COMFY_PREFIX);
        }
        throw new WeightsException(src.describe() + ": not a FLUX transformer checkpoint: expected diffusers names (x_embedder.weight, "
                + "transformer_blocks.0.attn.to_q.weight, …) or Black Forest Labs names (img_in.weight, double_blocks.0.img_attn.qkv.weight, …"
                + ", optionally under " + COMFY_PREFIX + ")");
    }

    Layout layout() {
        return layout;
    }

    WeightSource source() {
        return src;
    }

    /** The checkpoint name holding diffusers' {@code name}, for messages and shape inference. */
    boolean has(String diffusersName) {
        return layout == Layout.DIFFUSERS ? src.contains(diffusersName) : src.contains(prefix + bflName(diffusersName));
    }

    /** The tensor diffusers calls {@code name}, checked against {@code shape}. */
    Tensor get(String name, long... shape) {
        if (layout == Layout.DIFFUSERS) {
            return checked(name, name, src.tensor(require(name)), shape);
        }
        String bfl = prefix + bflName(name);
        Tensor t = src.tensor(require(bfl));
        if (name.startsWith("norm_out.linear.")) {
            Tensor[] h = t.chunk(2, 0);
            t.close();
            t = Tensor.concat(0, h[1], h[0]);
            Tensor.closeAll(h);
        }
        return checked(name, bfl, t, shape);
    }

    /**
     * Rows of several diffusers projections stacked (e.g. to_q, to_k, to_v): one fused tensor in the BFL layout
     * ({@code bflFused}), the concatenation in diffusers'.
     */
    Tensor fused(String bflFused, String suffix, long[] shape, String... diffusersParts) {
        if (layout == Layout.BFL) {
            String n = prefix + bflFused + suffix;
            return checked(bflFused + suffix, n, src.tensor(require(n)), shape);
        }
        Tensor[] parts = new Tensor[diffusersParts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                parts[i] = src.tensor(require(diffusersParts[i] + suffix));
            }
            return checked(String.join("+", diffusersParts) + suffix, diffusersParts[0] + suffix, Tensor.concat(0, parts), shape);
        } finally {
            Tensor.closeAll(parts);
        }
    }

    private String require(String name) {
        if (!src.contains(name)) {
            throw new WeightsException(src.describe() + ": missing tensor '" + name + "' (" + layout.name().toLowerCase() + " FLUX layout)");
        }
        return name;
    }

    private Tensor checked(String what, String stored, Tensor t, long[] shape) {
        if (!Arrays.equals(t.shape(), shape)) {
            long[] found = t.shape();
            t.close();
            throw new WeightsException(src.describe() + ": tensor '" + stored + "' (" + what + ") has shape " + Arrays.toString(found)
                    + ", expected " + Arrays.toString(shape) + " from the config");
        }
        return t;
    }

    private static final Pattern DOUBLE = Pattern.compile("transformer_blocks\\.(\\d+)\\.(.+)");
    private static final Pattern SINGLE = Pattern.compile("single_transformer_blocks\\.(\\d+)\\.(.+)");

    /** Black Forest Labs name of a (non-fused) diffusers tensor. */
    static String bflName(String d) {
        Matcher m = SINGLE.matcher(d);
        if (m.matches()) {
            return "single_blocks." + m.group(1) + "." + switch (m.group(2)) {
                case "norm.linear.weight" -> "modulation.lin.weight";
                case "norm.linear.bias" -> "modulation.lin.bias";
                case "attn.norm_q.weight" -> "norm.query_norm.scale";
                case "attn.norm_k.weight" -> "norm.key_norm.scale";
                case "proj_out.weight" -> "linear2.weight";
                case "proj_out.bias" -> "linear2.bias";
                default -> throw new IllegalArgumentException("no BFL name for " + d);
            };
        }
        m = DOUBLE.matcher(d);
        if (m.matches()) {
            String rest = m.group(2);
            String mapped = switch (rest) {
                case "norm1.linear.weight" -> "img_mod.lin.weight";
                case "norm1.linear.bias" -> "img_mod.lin.bias";
                case "norm1_context.linear.weight" -> "txt_mod.lin.weight";
                case "norm1_context.linear.bias" -> "txt_mod.lin.bias";
                case "attn.norm_q.weight" -> "img_attn.norm.query_norm.scale";
                case "attn.norm_k.weight" -> "img_attn.norm.key_norm.scale";
                case "attn.norm_added_q.weight" -> "txt_attn.norm.query_norm.scale";
                case "attn.norm_added_k.weight" -> "txt_attn.norm.key_norm.scale";
                case "attn.to_out.0.weight" -> "img_attn.proj.weight";
                case "attn.to_out.0.bias" -> "img_attn.proj.bias";
                case "attn.to_add_out.weight" -> "txt_attn.proj.weight";
                case "attn.to_add_out.bias" -> "txt_attn.proj.bias";
                case "ff.net.0.proj.weight" -> "img_mlp.0.weight";
                case "ff.net.0.proj.bias" -> "img_mlp.0.bias";
                case "ff.net.2.weight" -> "img_mlp.2.weight";
                case "ff.net.2.bias" -> "img_mlp.2.bias";
                case "ff_context.net.0.proj.weight" -> "txt_mlp.0.weight";
                case "ff_context.net.0.proj.bias" -> "txt_mlp.0.bias";
                case "ff_context.net.2.weight" -> "txt_mlp.2.weight";
                case "ff_context.net.2.bias" -> "txt_mlp.2.bias";
                default -> throw new IllegalArgumentException("no BFL name for " + d);
            };
            return "double_blocks." + m.group(1) + "." + mapped;
        }
        return switch (d) {
            case "x_embedder.weight" -> "img_in.weight";
            case "x_embedder.bias" -> "img_in.bias";
            case "context_embedder.weight" -> "txt_in.weight";
            case "context_embedder.bias" -> "txt_in.bias";
            case "time_text_embed.timestep_embedder.linear_1.weight" -> "time_in.in_layer.weight";
            case "time_text_embed.timestep_embedder.linear_1.bias" -> "time_in.in_layer.bias";
            case "time_text_embed.timestep_embedder.linear_2.weight" -> "time_in.out_layer.weight";
            case "time_text_embed.timestep_embedder.linear_2.bias" -> "time_in.out_layer.bias";
            case "time_text_embed.guidance_embedder.linear_1.weight" -> "guidance_in.in_layer.weight";
            case "time_text_embed.guidance_embedder.linear_1.bias" -> "guidance_in.in_layer.bias";
            case "time_text_embed.guidance_embedder.linear_2.weight" -> "guidance_in.out_layer.weight";
            case "time_text_embed.guidance_embedder.linear_2.bias" -> "guidance_in.out_layer.bias";
            case "time_text_embed.text_embedder.linear_1.weight" -> "vector_in.in_layer.weight";
            case "time_text_embed.text_embedder.linear_1.bias" -> "vector_in.in_layer.bias";
            case "time_text_embed.text_embedder.linear_2.weight" -> "vector_in.out_layer.weight";
            case "time_text_embed.text_embedder.linear_2.bias" -> "vector_in.out_layer.bias";
            case "norm_out.linear.weight" -> "final_layer.adaLN_modulation.1.weight";
            case "norm_out.linear.bias" -> "final_layer.adaLN_modulation.1.bias";
            case "proj_out.weight" -> "final_layer.linear.weight";
            case "proj_out.bias" -> "final_layer.linear.bias";
            default -> throw new IllegalArgumentException("no BFL name for " + d);
        };
    }

    /**
     * The config of a standard FLUX.1 checkpoint read off its tensor shapes (BFL or diffusers names): width, depth,
     * channels, guidance; heads of 128 dimensions and RoPE axes [16, 56, 56], which only the standard 3072 width has.
     */
    FluxConfig inferStandardConfig() {
        long[] xin = src.info(layout == Layout.BFL ? prefix + "img_in.weight" : "x_embedder.weight").shape();
        int inner = (int) xin[0];
        if (inner != 3072) {
            throw new WeightsException(src.describe() + ": inner width " + inner + " is not the standard FLUX.1 3072: the RoPE axes cannot be "
                    + "inferred, give a diffusers config.json (--config)");
        }
        int layers = count(layout == Layout.BFL ? "double_blocks." : "transformer_blocks.");
        int single = count(layout == Layout.BFL ? "single_blocks." : "single_transformer_blocks.");
        int joint = (int) src.info(layout == Layout.BFL ? prefix + "txt_in.weight" : "context_embedder.weight").shape()[1];
        int pooled = (int) src.info(layout == Layout.BFL ? prefix + "vector_in.in_layer.weight"
                : "time_text_embed.text_embedder.linear_1.weight").shape()[1];
        boolean guidance = src.contains(layout == Layout.BFL ? prefix + "guidance_in.in_layer.weight"
                : "time_text_embed.guidance_embedder.linear_1.weight");
        return new FluxConfig(1, (int) xin[1], (int) xin[1], layers, single, 128, inner / 128, joint, pooled, guidance, new int[] {16, 56, 56});
    }

    private int count(String blockPrefix) {
        String p = (layout == Layout.BFL ? prefix : "") + blockPrefix;
        int max = -1;
        for (String n : src.names()) {
            if (n.startsWith(p)) {
                String rest = n.substring(p.length());
                int dot = rest.indexOf('.');
                if (dot > 0 && rest.substring(0, dot).chars().allMatch(Character::isDigit)) {
                    max = Math.max(max, Integer.parseInt(rest.substring(0, dot)));
                }
            }
        }
        return max + 1;
    }
}
