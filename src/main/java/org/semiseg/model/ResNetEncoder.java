package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Dilated ResNet with torchvision's layout and child names (conv1, bn1, layer1..layer4, blocks "0", "1", ...).
 * conv1 7x7/2 -> bn1 -> relu -> maxpool 3x3/2 -> layer1 (stride 1) -> layer2 (stride 2) -> layer3 -> layer4.
 * Output stride 16: layer4 has no stride and dilation 2; output stride 8: layer3 dilation 2, layer4 dilation 4.
 * As torchvision's {@code replace_stride_with_dilation}, the first block of a dilated layer keeps the previous
 * layer's dilation for its 3x3 conv.
 *
 * <p>{@link #apply} returns layer4's output (N, {@link #outChannels()}, H/os, W/os); {@link #forwardInternal} returns
 * [layer1 (N, {@link #lowLevelChannels()}, H/4, W/4), layer4].
 */
final class ResNetEncoder extends ModuleBlock {

    private static final Shape POOL_KERNEL = new Shape(3, 3);
    private static final Shape POOL_STRIDE = new Shape(2, 2);
    private static final Shape POOL_PAD = new Shape(1, 1);

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Layer[] layers = new Layer[4];
    private final int lowLevelChannels;
    private final int outChannels;

    ResNetEncoder(String backbone, int outputStride, ModelSpec widths) {
        boolean bottleneck;
        int[] depths;
        switch (backbone) {
            case "resnet18" -> { bottleneck = false; depths = new int[] {2, 2, 2, 2}; }
            case "resnet34" -> { bottleneck = false; depths = new int[] {3, 4, 6, 3}; }
            case "resnet50" -> { bottleneck = true; depths = new int[] {3, 4, 6, 3}; }
            case "resnet101" -> { bottleneck = true; depths = new int[] {3, 4, 23, 3}; }
            default -> throw new IllegalArgumentException("backbone: unknown " + backbone);
        }
        boolean[] dilate = outputStride == 8
                ? new boolean[] {false, false, true, true}
                : new boolean[] {false, false, false, true};
        int stem = widths.scaled(64);
        conv1 = addChildBlock("conv1", new Conv2d(3, stem, 7, 2, 1, false));
        bn1 = addChildBlock("bn1", new BatchNorm2d(stem));
        int in = stem;
        int dilation = 1;
        int low = 0;
        for (int i = 0; i < 4; i++) {
            int planes = widths.scaled(64 << i);
            int stride = i == 0 ? 1 : 2;
            int previousDilation = dilation;
            if (dilate[i]) {
                dilation *= stride;
                stride = 1;
            }
            List<ResidualBlock> blocks = new ArrayList<>();
            for (int b = 0; b < depths[i]; b++) {
                int s = b == 0 ? stride : 1;
                int d = b == 0 ? previousDilation : dilation;
                ResidualBlock block = bottleneck
                        ? ResidualBlock.bottleneck(in, planes, s, d)
                        : ResidualBlock.basic(in, planes, s, d);
                blocks.add(block);
                in = bottleneck ? planes * 4 : planes;
            }
            layers[i] = addChildBlock("layer" + (i + 1), new Layer(blocks));
            if (i == 0) {
                low = in;
            }
        }
        lowLevelChannels = low;
        outChannels = in;
    }

    int lowLevelChannels() {
        return lowLevelChannels;
    }

    int outChannels() {
        return outChannels;
    }

    /** Returns [layer1 output, layer4 output]. */
    NDList features(ParameterStore ps, NDArray x, boolean training) {
        NDArray convolved = conv1.apply(ps, x, training);
        NDArray stem = reluAndClose(bn1.apply(ps, convolved, training));
        convolved.close();
        NDArray pooled = stem.getNDArrayInternal().maxPool(POOL_KERNEL, POOL_STRIDE, POOL_PAD, false);
        stem.close();
        NDArray lowLevel = layers[0].apply(ps, pooled, training);
        pooled.close();
        NDArray y = layers[1].apply(ps, lowLevel, training);
        for (int i = 2; i < 4; i++) {
            NDArray next = layers[i].apply(ps, y, training);
            y.close();
            y = next;
        }
        return new NDList(lowLevel, y);
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return features(ps, x, training).get(1);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return features(ps, inputs.singletonOrThrow(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = conv1.getOutputShapes(inputShapes);
        Shape x = s[0];
        s = new Shape[] {new Shape(x.get(0), x.get(1), convOut(x.get(2), 3, 2, 1, 1), convOut(x.get(3), 3, 2, 1, 1))};
        s = layers[0].getOutputShapes(s);
        Shape lowLevel = s[0];
        for (int i = 1; i < 4; i++) {
            s = layers[i].getOutputShapes(s);
        }
        return new Shape[] {lowLevel, s[0]};
    }

    /** A sequence of residual blocks named "0", "1", ... */
    static final class Layer extends ModuleBlock {
        private final List<ResidualBlock> blocks;

        Layer(List<ResidualBlock> blocks) {
            this.blocks = List.copyOf(blocks);
            for (int i = 0; i < blocks.size(); i++) {
                addChildBlock(Integer.toString(i), blocks.get(i));
            }
        }

        @Override
        public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
            NDArray y = x;
            for (ResidualBlock block : blocks) {
                NDArray next = block.apply(ps, y, training);
                if (y != x) {
                    y.close();
                }
                y = next;
            }
            return y;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape[] s = inputShapes;
            for (ResidualBlock block : blocks) {
                s = block.getOutputShapes(s);
            }
            return s;
        }
    }
}
