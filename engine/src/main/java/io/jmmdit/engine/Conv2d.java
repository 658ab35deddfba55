package io.jmmdit.engine;

import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/** 2-D convolution over NCHW inputs with OIHW weights (PyTorch nn.Conv2d, dilation 1, groups 1). */
public final class Conv2d {

    private Conv2d() {
    }

    /**
     * @param x       [N, Cin, H, W]
     * @param weight  [Cout, Cin, kH, kW]
     * @param bias    [Cout] or null
     * @param stride  stride in both directions
     * @param padding zero padding on every side
     */
    public static Tensor forward(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        if (x.rank() != 4 || weight.rank() != 4 || x.size(1) != weight.size(1)) {
            throw new IllegalArgumentException("conv2d: input " + x.shapeString() + " does not match weight " + weight.shapeString());
        }
        long n = x.size(0);
        long kh = weight.size(2);
        long kw = weight.size(3);
        long oh = (x.size(2) + 2L * padding - kh) / stride + 1;
        long ow = (x.size(3) + 2L * padding - kw) / stride + 1;
        Conv2DConfig cfg = Conv2DConfig.builder()
                .kH(kh).kW(kw).sH(stride).sW(stride).pH(padding).pW(padding).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.OIYX).build();
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n, weight.size(0), oh, ow);
        INDArray[] in = bias == null
                ? new INDArray[] {Tensor.contiguous(x.a), Tensor.contiguous(weight.a)}
                : new INDArray[] {Tensor.contiguous(x.a), Tensor.contiguous(weight.a), bias.a.reshape(bias.length())};
        Nd4j.exec(new Conv2D(in, new INDArray[] {out}, cfg));
        return new Tensor(out);
    }
}
