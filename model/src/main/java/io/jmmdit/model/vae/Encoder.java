package io.jmmdit.model.vae;

import java.util.ArrayList;
import java.util.List;

import io.jmmdit.engine.Tensor;

/**
 * diffusers vae.Encoder (double_z): conv_in, DownEncoderBlock2D × len(block_out_channels) (layers_per_block resnets,
 * then Downsample2D except after the last), mid block, GroupNorm + SiLU + conv_out to 2·latent_channels moments.
 *
 * <p>Capture names: {@code encoder_conv_in_out}, {@code encoder_down_<i>_resnet_<j>_out}, {@code encoder_down_<i>_out},
 * {@code encoder_mid_block_resnet_0_out}, {@code encoder_mid_block_attn_out}, {@code encoder_mid_block_attn_probs},
 * {@code encoder_mid_block_out}, {@code encoder_conv_out_out}.
 */
public final class Encoder implements AutoCloseable {

    private final Conv convIn;
    private final List<List<ResnetBlock2D>> resnets = new ArrayList<>();
    private final List<Downsample2D> downsamplers = new ArrayList<>();
    private final MidBlock2D mid;
    private final GroupNorm normOut;
    private final Conv convOut;

    Encoder(VaeWeights w, VaeConfig cfg) {
        List<Integer> ch = cfg.blockOutChannels();
        int g = cfg.normNumGroups();
        convIn = Conv.load(w, "encoder.conv_in", cfg.inChannels(), ch.get(0), 3);
        int prev = ch.get(0);
        for (int i = 0; i < ch.size(); i++) {
            int out = ch.get(i);
            List<ResnetBlock2D> rs = new ArrayList<>();
            for (int j = 0; j < cfg.layersPerBlock(); j++) {
                rs.add(new ResnetBlock2D(w, "encoder.down_blocks." + i + ".resnets." + j, j == 0 ? prev : out, out, g));
            }
            resnets.add(rs);
            downsamplers.add(i < ch.size() - 1 ? new Downsample2D(w, "encoder.down_blocks." + i + ".downsamplers.0", out) : null);
            prev = out;
        }
        int last = ch.get(ch.size() - 1);
        mid = new MidBlock2D(w, "encoder.mid_block", last, g, cfg.midBlockAddAttention());
        normOut = new GroupNorm(w, "encoder.conv_norm_out", g, last);
        convOut = Conv.load(w, "encoder.conv_out", last, 2 * cfg.latentChannels(), 3);
    }

    /** [N, in, H, W] → moments [N, 2·latent, h, w] (mean; logvar, unclamped). The input is not closed. */
    public Tensor forward(Tensor x, Probe probe) {
        Tensor h = convIn.forward(x);
        probe.offer("encoder_conv_in_out", h);
        for (int i = 0; i < resnets.size(); i++) {
            List<ResnetBlock2D> rs = resnets.get(i);
            for (int j = 0; j < rs.size(); j++) {
                Tensor n = rs.get(j).forward(h);
                h.close();
                h = n;
                probe.offer("encoder_down_" + i + "_resnet_" + j + "_out", h);
            }
            if (downsamplers.get(i) != null) {
                Tensor n = downsamplers.get(i).forward(h);
                h.close();
                h = n;
            }
            probe.offer("encoder_down_" + i + "_out", h);
        }
        Tensor m = mid.forward(h, "encoder_mid_block", probe);
        h.close();
        probe.offer("encoder_mid_block_out", m);
        Tensor out = Conv.outputHead(normOut, convOut, m);
        probe.offer("encoder_conv_out_out", out);
        return out;
    }

    @Override
    public void close() {
        convIn.close();
        resnets.forEach(rs -> rs.forEach(ResnetBlock2D::close));
        downsamplers.forEach(d -> {
            if (d != null) {
                d.close();
            }
        });
        mid.close();
        normOut.close();
        convOut.close();
    }
}
