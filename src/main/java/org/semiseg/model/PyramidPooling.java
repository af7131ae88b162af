package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.semiseg.loss.GraphSafe;

/**
 * PSPNet's pyramid pooling module (Zhao et al., CVPR 2017) as the end of CCT's encoder (Ouali et al., CVPR 2020; the
 * authors' {@code _PSPModule}, bins 1, 2, 3, 6). On the encoder output x (N, F, h, w), for each bin size b: adaptive
 * average pooling to (N, F, b, b) (torch's bins: row i averages [floor(i·h/b), ceil((i+1)·h/b))), a 1x1 conv to
 * F/4 channels, BN, ReLU ({@code stage<b>}), bilinear upsampling back to h x w (align_corners=false). [x, the four
 * stages] (N, F + 4·F/4, h, w) then go through {@code bottleneck} (3x3 conv to F/4 channels, BN, ReLU). Output
 * (N, F/4, h, w), the authors' 512 channels for ResNet-50's 2048.
 *
 * <p>In training mode the BN of a stage sees N·b² values per channel, so the 1x1 bin needs N >= 2 (as ASPP's image
 * pooling).
 */
public final class PyramidPooling extends ModuleBlock {

    /** The authors' bin sizes. */
    public static final int[] BINS = {1, 2, 3, 6};

    private final ConvBnRelu[] stages = new ConvBnRelu[BINS.length];
    private final ConvBnRelu bottleneck;
    private final int outChannels;

    public PyramidPooling(int inChannels) {
        outChannels = Math.max(1, inChannels / BINS.length);
        for (int i = 0; i < BINS.length; i++) {
            stages[i] = addChildBlock("stage" + BINS[i], new ConvBnRelu(inChannels, outChannels, 1, 1));
        }
        bottleneck = addChildBlock("bottleneck",
                new ConvBnRelu(inChannels + BINS.length * outChannels, outChannels, 3, 1));
    }

    /** Channels of the output: F / 4. */
    public int outChannels() {
        return outChannels;
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        long h = s.get(2);
        long w = s.get(3);
        NDList parts = new NDList(BINS.length + 1);
        parts.add(x);
        for (int i = 0; i < BINS.length; i++) {
            NDArray pooled = adaptiveAveragePool(x, BINS[i]);
            NDArray stage = stages[i].apply(ps, pooled, training);
            pooled.close();
            NDArray up = Interpolation.bilinear(stage, h, w);
            if (up != stage) {
                stage.close();
            }
            parts.add(up);
        }
        NDArray concatenated = NDArrays.concat(parts, 1);
        for (int i = 1; i < parts.size(); i++) {
            parts.get(i).close();
        }
        NDArray out = bottleneck.apply(ps, concatenated, training);
        concatenated.close();
        return out;
    }

    /**
     * torch's {@code adaptive_avg_pool2d(x, b)}: (N, F, h, w) to (N, F, b, b) as P_h · x · P_wᵀ, with P (b, n) the
     * averaging matrix of {@link #poolingMatrix}; differentiable in x.
     */
    static NDArray adaptiveAveragePool(NDArray x, int bins) {
        Shape s = x.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        try (NDArray rows = GraphSafe.upload(x.getManager(), poolingMatrix(h, bins), new Shape(bins, h));
             NDArray columns = GraphSafe.upload(x.getManager(), transpose(poolingMatrix(w, bins), bins, w),
                     new Shape(w, bins));
             NDArray alongWidth = x.matMul(columns)) {
            return rows.matMul(alongWidth);
        }
    }

    /**
     * The (bins, n) row-major matrix whose row i averages input positions [floor(i·n/bins), ceil((i+1)·n/bins)), as
     * torch's adaptive average pooling bins them.
     */
    static float[] poolingMatrix(int n, int bins) {
        float[] m = new float[bins * n];
        for (int i = 0; i < bins; i++) {
            int start = (int) Math.floor((double) i * n / bins);
            int end = (int) Math.ceil((double) (i + 1) * n / bins);
            for (int j = start; j < end; j++) {
                m[i * n + j] = 1f / (end - start);
            }
        }
        return m;
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels, s.get(2), s.get(3))};
    }
}
