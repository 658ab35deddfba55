package io.jmmdit.model.flux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jmmdit.engine.Activations;
import io.jmmdit.engine.Linear;
import io.jmmdit.engine.Norms;
import io.jmmdit.engine.Rope;
import io.jmmdit.engine.Tensor;
import io.jmmdit.engine.Timesteps;
import io.jmmdit.model.hooks.Hooks;
import io.jmmdit.weights.Checkpoints;
import io.jmmdit.weights.WeightSource;

/**
 * The FLUX.1 MMDiT, diffusers {@code FluxTransformer2DModel}: x_embedder and context_embedder, the time + guidance +
 * pooled-text embedding temb, RoPE from [txt_ids; img_ids], {@link DoubleStreamBlock}s on (x, c), then
 * {@link SingleStreamBlock}s on [c; x], the final AdaLN-continuous norm_out and proj_out on the image tokens.
 *
 * <p>Hook points ({@link Hooks}); B batch, T text tokens, L image tokens, D inner width, H heads, Dh head width:
 * <table>
 * <caption>FLUX hook points</caption>
 * <tr><th>name</th><th>shape</th><th>what</th></tr>
 * <tr><td>{@code x_embedder}, {@code context_embedder}</td><td>[B,L,D], [B,T,D]</td><td>embedded streams</td></tr>
 * <tr><td>{@code time_text_embed.timestep_proj}, {@code time_text_embed.guidance_proj}</td><td>[B,256]</td><td>sinusoids of σ·1000 and guidance·1000</td></tr>
 * <tr><td>{@code temb}</td><td>[B,D]</td><td>conditioning vector (BFL {@code vec})</td></tr>
 * <tr><td>{@code pos_embed.cos}, {@code pos_embed.sin}</td><td>[T+L,Dh]</td><td>RoPE tables</td></tr>
 * <tr><td>{@code transformer_blocks.{i}.norm1}, {@code .norm1_context}</td><td>[B,L,D], [B,T,D]</td><td>AdaLN outputs; norm1_context is FTEdit's "AdaLN text features"</td></tr>
 * <tr><td>{@code transformer_blocks.{i}.attn.to_q|to_k|to_v}</td><td>[B,H,T+L,Dh]</td><td>joint projections before QK-norm and RoPE</td></tr>
 * <tr><td>{@code transformer_blocks.{i}.attn.query|key|value}</td><td>[B,H,T+L,Dh]</td><td>after QK-norm and RoPE (value: the joint V)</td></tr>
 * <tr><td>{@code transformer_blocks.{i}.attn.probs}</td><td>[B,H,T+L,T+L]</td><td>softmax(QKᵀ/√Dh), computed only when hooked</td></tr>
 * <tr><td>{@code transformer_blocks.{i}.attn.to_out}, {@code .attn.to_add_out}</td><td>[B,L,D], [B,T,D]</td><td>attention outputs before the gates</td></tr>
 * <tr><td>{@code transformer_blocks.{i}.hidden_states}, {@code .encoder_hidden_states}</td><td>[B,L,D], [B,T,D]</td><td>block outputs</td></tr>
 * <tr><td>{@code single_transformer_blocks.{i}.norm}</td><td>[B,T+L,D]</td><td>AdaLN output</td></tr>
 * <tr><td>{@code single_transformer_blocks.{i}.attn.to_q|to_k|to_v|query|key|value|probs}</td><td>as above</td><td></td></tr>
 * <tr><td>{@code single_transformer_blocks.{i}.hidden_states}</td><td>[B,T+L,D]</td><td>block output</td></tr>
 * <tr><td>{@code norm_out}</td><td>[B,L,D]</td><td>final AdaLN-continuous output</td></tr>
 * </table>
 *
 * <p>Weights are float32. {@code resident}: every block converted once at load; streamed: a block's weights are
 * converted from the mapped checkpoint when it runs and freed after (for checkpoints larger than memory).
 */
public final class FluxTransformer implements AutoCloseable {

    private final FluxConfig config;
    private final FluxWeights weights;
    private final boolean streamed;
    private final Params top;
    private final List<DoubleStreamBlock> doubles = new ArrayList<>();
    private final List<SingleStreamBlock> singles = new ArrayList<>();
    private final List<Params> doubleParams = new ArrayList<>();
    private final List<Params> singleParams = new ArrayList<>();

    private FluxTransformer(FluxConfig config, FluxWeights weights, boolean streamed) {
        this.config = config;
        this.weights = weights;
        this.streamed = streamed;
        for (int i = 0; i < config.numLayers(); i++) {
            doubles.add(new DoubleStreamBlock(i, config));
        }
        for (int i = 0; i < config.numSingleLayers(); i++) {
            singles.add(new SingleStreamBlock(i, config));
        }
        this.top = loadTop();
        try {
            if (!streamed) {
                doubles.forEach(b -> doubleParams.add(b.load(weights)));
                singles.forEach(b -> singleParams.add(b.load(weights)));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A transformer from a diffusers pipeline folder (its {@code transformer/}), a component folder with
     * {@code config.json}, or a single-file checkpoint (BFL/ComfyUI or diffusers names); {@code config} (may be null)
     * overrides the folder's config or the shapes inferred from a standard FLUX.1 file.
     */
    public static FluxTransformer load(Path path, FluxConfig config, boolean streamed) {
        Path p = Files.isRegularFile(path.resolve("model_index.json")) ? path.resolve("transformer") : path;
        WeightSource src = Files.isDirectory(p) ? Checkpoints.component(p) : Checkpoints.open(p);
        try {
            FluxWeights w = FluxWeights.of(src);
            FluxConfig c = config != null ? config
                    : Files.isRegularFile(p.resolve("config.json")) ? FluxConfig.load(p.resolve("config.json")) : w.inferStandardConfig();
            FluxTransformer t = new FluxTransformer(c, w, streamed);
            if (!streamed) {
                src.close();
            }
            return t;
        } catch (RuntimeException e) {
            src.close();
            throw e;
        }
    }

    public static FluxTransformer load(Path path) {
        return load(path, null, false);
    }

    public FluxConfig config() {
        return config;
    }

    private Params loadTop() {
        long d = config.innerDim();
        long in = config.inChannels();
        Params p = new Params();
        try {
            linear(p, "x_embedder", d, in);
            linear(p, "context_embedder", d, config.jointAttentionDim());
            mlp(p, "time_text_embed.timestep_embedder", FluxConfig.TIME_PROJ_DIM);
            if (config.guidanceEmbeds()) {
                mlp(p, "time_text_embed.guidance_embedder", FluxConfig.TIME_PROJ_DIM);
            }
            mlp(p, "time_text_embed.text_embedder", config.pooledProjectionDim());
            linear(p, "norm_out.linear", 2 * d, d);
            linear(p, "proj_out", (long) config.outChannels() * config.patchSize() * config.patchSize(), d);
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void linear(Params p, String n, long out, long in) {
        p.put(n + ".weight", weights.get(n + ".weight", out, in));
        p.put(n + ".bias", weights.get(n + ".bias", out));
    }

    private void mlp(Params p, String n, long in) {
        long d = config.innerDim();
        linear(p, n + ".linear_1", d, in);
        linear(p, n + ".linear_2", d, d);
    }

    /** The velocity prediction {@code sample} [B, L, out_channels]; inputs are borrowed. */
    public Tensor forward(FluxInputs in, Hooks hooks) {
        check(in);
        Tensor temb = timeTextEmbedding(in, hooks);
        Tensor x = hooks.through("x_embedder", Linear.forward(in.hiddenStates(), top.get("x_embedder.weight"), top.get("x_embedder.bias")));
        Tensor c = hooks.through("context_embedder",
                Linear.forward(in.encoderHiddenStates(), top.get("context_embedder.weight"), top.get("context_embedder.bias")));
        Rope.Tables rope = ropeTables(in, hooks);
        try (temb; rope) {
            for (int i = 0; i < doubles.size(); i++) {
                Params p = streamed ? doubles.get(i).load(weights) : doubleParams.get(i);
                try {
                    Tensor[] out = doubles.get(i).forward(p, x, c, temb, rope, hooks);
                    Tensor.closeAll(x, c);
                    c = out[0];
                    x = out[1];
                } finally {
                    if (streamed) {
                        p.close();
                    }
                }
            }
            long t = c.size(1);
            Tensor h = Tensor.concat(1, c, x);
            Tensor.closeAll(x, c);
            for (int i = 0; i < singles.size(); i++) {
                Params p = streamed ? singles.get(i).load(weights) : singleParams.get(i);
                try {
                    Tensor next = singles.get(i).forward(p, h, temb, rope, hooks);
                    h.close();
                    h = next;
                } finally {
                    if (streamed) {
                        p.close();
                    }
                }
            }
            Tensor joint = h;
            try (joint; Tensor img = joint.slice(1, t, joint.size(1))) {
                Tensor[] m = AdaLn.modulation(temb, top.get("norm_out.linear.weight"), top.get("norm_out.linear.bias"), 2);
                try (Tensor n = Norms.layerNorm(img, null, null, FluxConfig.EPS);
                     Tensor s1 = m[0].add(1f);
                     Tensor ns = n.mul(s1);
                     Tensor normOut = hooks.through("norm_out", ns.add(m[1]))) {
                    return Linear.forward(normOut, top.get("proj_out.weight"), top.get("proj_out.bias"));
                } finally {
                    Tensor.closeAll(m);
                }
            }
        }
    }

    /** temb = timestep_embedder(sin(σ·1000)) [+ guidance_embedder(sin(g·1000))] + text_embedder(pooled). */
    private Tensor timeTextEmbedding(FluxInputs in, Hooks hooks) {
        Tensor temb;
        try (Tensor tp = hooks.through("time_text_embed.timestep_proj", sinusoid(in.timestep()))) {
            temb = embedMlp("time_text_embed.timestep_embedder", tp);
        }
        if (config.guidanceEmbeds()) {
            try (Tensor gp = hooks.through("time_text_embed.guidance_proj", sinusoid(in.guidance()));
                 Tensor g = embedMlp("time_text_embed.guidance_embedder", gp);
                 Tensor prev = temb) {
                temb = prev.add(g);
            }
        }
        try (Tensor pooled = embedMlp("time_text_embed.text_embedder", in.pooledProjections());
             Tensor prev = temb) {
            return hooks.through("temb", prev.add(pooled));
        }
    }

    /** diffusers Timesteps(256, flip_sin_to_cos=True, downscale_freq_shift=0) of v·1000 (the product rounded to float32). */
    private static Tensor sinusoid(float[] v) {
        float[] scaled = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            scaled[i] = (float) ((double) v[i] * 1000.0);
        }
        return Timesteps.sinusoid(scaled, FluxConfig.TIME_PROJ_DIM, true, 0f, 1f, 10000);
    }

    private Tensor embedMlp(String n, Tensor x) {
        try (Tensor h = Linear.forward(x, top.get(n + ".linear_1.weight"), top.get(n + ".linear_1.bias"));
             Tensor a = Activations.silu(h)) {
            return Linear.forward(a, top.get(n + ".linear_2.weight"), top.get(n + ".linear_2.bias"));
        }
    }

    private Rope.Tables ropeTables(FluxInputs in, Hooks hooks) {
        try (Tensor ids = Tensor.concat(0, in.txtIds(), in.imgIds())) {
            Rope.Tables t = Rope.tables(ids, config.axesDimsRope(), FluxConfig.THETA);
            return new Rope.Tables(hooks.through("pos_embed.cos", t.cos()), hooks.through("pos_embed.sin", t.sin()));
        }
    }

    private void check(FluxInputs in) {
        long b = in.hiddenStates().size(0);
        long l = in.hiddenStates().size(1);
        long t = in.encoderHiddenStates().size(1);
        expect("hidden_states", in.hiddenStates(), b, l, config.inChannels());
        expect("encoder_hidden_states", in.encoderHiddenStates(), b, t, config.jointAttentionDim());
        expect("pooled_projections", in.pooledProjections(), b, config.pooledProjectionDim());
        expect("img_ids", in.imgIds(), l, 3);
        expect("txt_ids", in.txtIds(), t, 3);
        if (in.timestep() == null || in.timestep().length != b) {
            throw new IllegalArgumentException("timestep: expected " + b + " values (one per batch row), found "
                    + (in.timestep() == null ? "none" : in.timestep().length));
        }
        if (config.guidanceEmbeds() && (in.guidance() == null || in.guidance().length != b)) {
            throw new IllegalArgumentException("guidance: this model embeds guidance, expected " + b + " values, found "
                    + (in.guidance() == null ? "none" : in.guidance().length));
        }
    }

    private static void expect(String name, Tensor t, long... shape) {
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(name + ": expected shape " + Arrays.toString(shape) + ", found " + t.shapeString());
        }
    }

    /**
     * Runs one forward on inputs named as diffusers' arguments ({@code hidden_states}, {@code encoder_hidden_states},
     * {@code pooled_projections}, {@code timestep}, {@code guidance}, {@code img_ids}, {@code txt_ids}) and returns
     * {@code sample} plus a copy of every hook point whose name matches {@code captureRegex} (null: none).
     */
    public Map<String, Tensor> trace(Map<String, Tensor> inputs, String captureRegex) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Hooks hooks = new Hooks();
        if (captureRegex != null) {
            hooks.register(captureRegex, (name, value) -> {
                out.put(name, value.copy());
                return value;
            });
        }
        FluxInputs in = new FluxInputs(input(inputs, "hidden_states"), input(inputs, "encoder_hidden_states"),
                input(inputs, "pooled_projections"), input(inputs, "timestep").toFloatArray(),
                config.guidanceEmbeds() ? input(inputs, "guidance").toFloatArray() : null, input(inputs, "img_ids"), input(inputs, "txt_ids"));
        out.put("sample", forward(in, hooks));
        return out;
    }

    private static Tensor input(Map<String, Tensor> inputs, String name) {
        Tensor t = inputs.get(name);
        if (t == null) {
            throw new IllegalArgumentException("inputs lack the tensor '" + name + "' (have " + inputs.keySet() + ")");
        }
        return t;
    }

    @Override
    public void close() {
        top.close();
        doubleParams.forEach(Params::close);
        singleParams.forEach(Params::close);
        if (streamed) {
            weights.source().close();
        }
    }
}
