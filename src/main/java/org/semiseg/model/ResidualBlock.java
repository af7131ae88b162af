package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * torchvision's BasicBlock (two 3x3 convs, expansion 1) or Bottleneck v1.5 (1x1, 3x3 carrying stride and dilation,
 * 1x1 to 4x planes), with an optional {@code downsample} shortcut. Child names follow torchvision: conv1, bn1, conv2,
 * bn2[, conv3, bn3][, downsample]. Unlike torchvision, BasicBlock accepts dilation (both 3x3 convs dilated).
 */
final class ResidualBlock extends ModuleBlock {

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final Downsample downsample;

    private ResidualBlock(boolean bottleneck, int in, int planes, int out, int stride, int dilation) {
        if (bottleneck) {
            conv1 = addChildBlock("conv1", Conv2d.conv1x1(in, planes, 1));
            bn1 = addChildBlock("bn1", new BatchNorm2d(planes));
            conv2 = addChildBlock("conv2", Conv2d.conv3x3(planes, planes, stride, dilation));
            bn2 = addChildBlock("bn2", new BatchNorm2d(planes));
            conv3 = addChildBlock("conv3", Conv2d.conv1x1(planes, out, 1));
            bn3 = addChildBlock("bn3", new BatchNorm2d(out));
        } else {
            conv1 = addChildBlock("conv1", Conv2d.conv3x3(in, planes, stride, dilation));
            bn1 = addChildBlock("bn1", new BatchNorm2d(planes));
            conv2 = addChildBlock("conv2", Conv2d.conv3x3(planes, out, 1, dilation));
            bn2 = addChildBlock("bn2", new BatchNorm2d(out));
            conv3 = null;
            bn3 = null;
        }
        downsample = (stride != 1 || in != out) ? addChildBlock("downsample", new Downsample(in, out, stride)) : null;
    }

    static ResidualBlock basic(int in, int planes, int stride, int dilation) {
        return new ResidualBlock(false, in, planes, planes, stride, dilation);
    }

    static ResidualBlock bottleneck(int in, int planes, int stride, int dilation) {
        return new ResidualBlock(true, in, planes, planes * 4, stride, dilation);
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        // intermediates are closed as soon as they are consumed (see reluAndClose)
        NDArray out = reluAndClose(BatchNorm2d.afterConv(ps, conv1, bn1, x, training));
        NDArray next = BatchNorm2d.afterConv(ps, conv2, bn2, out, training);
        out.close();
        out = next;
        if (conv3 != null) {
            NDArray activated = reluAndClose(out);
            out = BatchNorm2d.afterConv(ps, conv3, bn3, activated, training);
            activated.close();
        }
        NDArray identity = downsample == null ? x : downsample.apply(ps, x, training);
        // in place, as torchvision's "out += identity": batch norm's backward does not need its output, and
        // skipping the allocation saves a full-size buffer (and its page faults) per block
        out.addi(identity);
        if (identity != x) {
            identity.close();
        }
        return reluAndClose(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = conv1.getOutputShapes(inputShapes);
        s = conv2.getOutputShapes(s);
        return conv3 == null ? s : conv3.getOutputShapes(s);
    }
}
