package io.jmmdit.model.vae;

import java.util.ArrayList;
import java.util.List;

import io.jmmdit.engine.Tensor;

/**
 * diffusers vae.Decoder: conv_in, mid block, UpDecoderBlock2D × len(block_out_channels) over the reversed widths
 * (layers_per_block + 1 resnets, then Upsample2D except after the last), GroupNorm + SiLU + conv_out.
 *
 * <p>Capture names: {@code decoder_conv_in_out}, {@code decoder_mid_block_resnet_0_out}, {@code decoder_mid_block_attn_out},
 * {@code decoder_mid_block_attn_probs}, {@code decoder_mid_block_out}, {@code decoder_up_<i>_resnet_<j>_out},
 * {@code decoder_up_<i>_out}, {@code decoded}.
 */
public final class Decoder implements AutoCloseable {

    private final Conv convIn;
    private final MidBlock2D mid;
    private final List<List<ResnetBlock2D>> resnets = new ArrayList<>();
    private final List<Upsample2D> upsamplers = new ArrayList<>();
    private final GroupNorm normOut;
    private final Conv convOut;

    Decoder(VaeWeights w, VaeConfig cfg) {
        List<Integer> ch = cfg.blockOutChannels();
        int n = ch.size();
        int g = cfg.normNumGroups();
        int top = ch.get(n - 1);
        convIn = Conv.load(w, "decoder.conv_in", cfg.latentChannels(), top, 3);
        mid = new MidBlock2D(w, "decoder.mid_block", top, g, cfg.midBlockAddAttention());
        int prev = top;
        for (int i = 0; i < n; i++) {
            int out = ch.get(n - 1 - i);
            List<ResnetBlock2D> rs = new ArrayList<>();
            for (int j = 0; j < cfg.layersPerBlock() + 1; j++) {
                rs.add(new ResnetBlock2D(w, "decoder.up_blocks." + i + ".resnets." + j, j == 0 ? prev : out, out, g));
            }
            resnets.add(rs);
            upsamplers.add(i < n - 1 ? new Upsample2D(w, "decoder.up_blocks." + i + ".upsamplers.0", out) : null);
            prev = out;
        }
        normOut = new GroupNorm(w, "decoder.conv_norm_out", g, ch.get(0));
        convOut = Conv.load(w, "decoder.conv_out", ch.get(0), cfg.outChannels(), 3);
    }

    /** [N, latent, h, w] → [N, out, h·s, w·s]. The input is not closed. */
    public Tensor forward(Tensor z, Probe probe) {
        Tensor h = convIn.forward(z);
        probe.offer("decoder_conv_in_out", h);
        Tensor m = mid.forward(h, "decoder_mid_block", probe);
        h.close();
        h = m;
        probe.offer("decoder_mid_block_out", h);
        for (int i = 0; i < resnets.size(); i++) {
            List<ResnetBlock2D> rs = resnets.get(i);
            for (int j = 0; j < rs.size(); j++) {
                Tensor n = rs.get(j).forward(h);
                h.close();
                h = n;
                probe.offer("decoder_up_" + i + "_resnet_" + j + "_out", h);
            }
            if (upsamplers.get(i) != null) {
                Tensor n = upsamplers.get(i).forward(h);
                h.close();
                h = n;
            }
            probe.offer("decoder_up_" + i + "_out", h);
        }
        Tensor out = Conv.outputHead(normOut, convOut, h);
        probe.offer("decoded", out);
        return out;
    }

    @Override
    public void close() {
        convIn.close();
        mid.close();
        resnets.forEach(rs -> rs.forEach(ResnetBlock2D::close));
        upsamplers.forEach(u -> {
            if (u != null) {
                u.close();
            }
        });
        normOut.close();
        convOut.close();
    }
}
