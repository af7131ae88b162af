package org.semiseg.method.u2pl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.semiseg.model.BatchNorm2d;
import org.semiseg.model.Conv2d;
import org.semiseg.model.Dropout2d;
import org.semiseg.model.ModuleBlock;

/**
 * U2PL's representation head g (Wang et al., CVPR 2022, Sec. 3.1; {@code representation} in
 * {@code u2pl/models/decoder.py} of Haochen-Wang409/U2PL): (N, F, h, w) features to (N, D, h, w) representations z,
 * conv3x3(F, D) - BN - ReLU - Dropout2d(p) - conv3x3(D, D) - BN - ReLU - Dropout2d(p) - conv1x1(D, D), convolutions
 * with bias, D = 256 in the paper. Children are numbered as in the authors' {@code nn.Sequential} (0, 1, 4, 5, 8), so
 * parameters read {@code 0.weight}, {@code 1.running_mean}, ... In training mode BN uses batch statistics and the
 * dropout draws from the engine's generator.
 */
public final class RepresentationHead extends ModuleBlock {
    private final int dim;
    private final Conv2d conv0;
    private final BatchNorm2d bn1;
    private final Conv2d conv4;
    private final BatchNorm2d bn5;
    private final Conv2d conv8;
    private final Dropout2d dropout;

    /**
     * @param features F, the channels of the decoder's pre-classifier features
     * @param dim      D
     * @param dropout  p of both Dropout2d layers (0.1)
     */
    public RepresentationHead(int features, int dim, double dropout) {
        if (features < 1 || dim < 1) {
            throw new IllegalArgumentException("features and dim must be positive, got " + features + ", " + dim);
        }
        this.dim = dim;
        conv0 = addChildBlock("0", new Conv2d(features, dim, 3, 1, 1, true));
        bn1 = addChildBlock("1", new BatchNorm2d(dim));
        conv4 = addChildBlock("4", new Conv2d(dim, dim, 3, 1, 1, true));
        bn5 = addChildBlock("5", new BatchNorm2d(dim));
        conv8 = addChildBlock("8", new Conv2d(dim, dim, 1, 1, 1, true));
        this.dropout = new Dropout2d(dropout);
    }

    public int dim() {
        return dim;
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray h = dropout.apply(ps, reluAndClose(BatchNorm2d.afterConv(ps, conv0, bn1, x, training)), training);
        h = dropout.apply(ps, reluAndClose(BatchNorm2d.afterConv(ps, conv4, bn5, h, training)), training);
        return conv8.apply(ps, h, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), dim, s.get(2), s.get(3))};
    }
}
