package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * CCT's light decoder (Ouali et al., CVPR 2020; {@code upsample} in the authors' {@code models/decoders.py}), K of
 * them side by side. Decoder k maps (N, F, h, w) by a 1x1 conv without bias to C channels ({@code project}), then
 * log2(s) blocks {@code up1..} of [1x1 conv C -> 4C with bias, ReLU, pixel shuffle x2], to (N, C, s·h, s·w): the
 * logits of the auxiliary decoders, and of {@code pspnet}'s main decoder (K = 1).
 *
 * <p>The K decoders run as groups=K convolutions, one call per layer for all of them: the stacked input
 * (N, K·F, h, w) (decoder k reads channels [kF, (k+1)F)) gives (N, K·C, s·h, s·w) (decoder k writes channels
 * [kC, (k+1)C)). {@link #apply(ParameterStore, NDArray, int, int, boolean)} runs a range of them alone.
 *
 * <p>Initialisation: {@code project} Kaiming-normal with fan_in and ReLU gain (the authors' {@code kaiming_normal_});
 * the block convs ICNR (Aitken et al. 2017, the authors' {@code icnr}): the 4 output channels that the shuffle
 * interleaves into one share one Kaiming-normal (fan_in) kernel, so every 2x2 output cell starts uniform; biases 0
 * (the authors' keep torch's default uniform bias).
 */
public final class ShuffleDecoder extends ModuleBlock {

    private final Grouped project;
    private final Grouped[] blocks;
    private final PixelShuffle shuffle = new PixelShuffle(2);
    private final int decoders;
    private final int inChannels;
    private final int numClasses;
    private final int upscale;

    /**
     * @param upscale  the input's stride s, a power of two (8 or 16): log2(s) blocks
     * @param decoders K, at least 1
     */
    public ShuffleDecoder(int inChannels, int numClasses, int upscale, int decoders) {
        if (upscale < 1 || Integer.bitCount(upscale) != 1) {
            throw new IllegalArgumentException("upscale must be a power of two, got " + upscale);
        }
        if (decoders < 1) {
            throw new IllegalArgumentException("at least one decoder, got " + decoders);
        }
        this.decoders = decoders;
        this.inChannels = inChannels;
        this.numClasses = numClasses;
        this.upscale = upscale;
        project = addChildBlock("project", new Grouped(decoders, inChannels, numClasses, false,
                new NormalInitializer((float) Math.sqrt(2.0 / inChannels))));
        blocks = new Grouped[Integer.numberOfTrailingZeros(upscale)];
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = addChildBlock("up" + (b + 1), new Grouped(decoders, numClasses, 4 * numClasses, true,
                    new Icnr(4, (float) Math.sqrt(2.0 / numClasses))));
        }
    }

    /** K. */
    public int decoders() {
        return decoders;
    }

    /** All K decoders: (N, K·F, h, w) -> (N, K·C, s·h, s·w). */
    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return apply(ps, x, 0, decoders, training);
    }

    /** Decoders [from, to) alone: (N, (to-from)·F, h, w) -> (N, (to-from)·C, s·h, s·w). */
    public NDArray apply(ParameterStore ps, NDArray x, int from, int to, boolean training) {
        if (from < 0 || to > decoders || from >= to) {
            throw new IllegalArgumentException("decoders [" + from + ", " + to + ") of " + decoders);
        }
        NDArray y = project.apply(ps, x, from, to, training);
        for (Grouped block : blocks) {
            NDArray convolved = block.apply(ps, y, from, to, training);
            y.close();
            NDArray activated = reluAndClose(convolved);
            y = shuffle.apply(ps, activated, training);
            activated.close();
        }
        return y;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), (long) decoders * numClasses, s.get(2) * upscale, s.get(3) * upscale)};
    }

    /** K 1x1 convs in → out as one groups=K convolution: weight (K·out, in, 1, 1), bias (K·out). */
    static final class Grouped extends ModuleBlock {
        private static final Shape ONE = new Shape(1, 1);
        private static final Shape ZERO = new Shape(0, 0);
        private final int out;
        private final int in;
        private final Parameter weight;
        private final Parameter bias;

        Grouped(int groups, int in, int out, boolean withBias, Initializer init) {
            this.in = in;
            this.out = out;
            weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape((long) groups * out, in, 1, 1)).optInitializer(init).build());
            bias = withBias
                    ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                            .optShape(new Shape((long) groups * out)).build())
                    : null;
        }

        NDArray apply(ParameterStore ps, NDArray x, int from, int to, boolean training) {
            if (x.getShape().get(1) != (long) (to - from) * in) {
                throw new IllegalArgumentException("decoders [" + from + ", " + to + ") read " + (to - from) * in
                        + " channels, got " + x.getShape());
            }
            NDArray w = value(ps, weight, x, training);
            NDArray b = value(ps, bias, x, training);
            String rows = (long) from * out + ":" + (long) to * out;
            boolean all = from == 0 && w.getShape().get(0) == (long) to * out;
            NDArray ws = all ? w : w.get(rows);
            NDArray bs = b == null || all ? b : b.get(rows);
            NDArray y = x.getNDArrayInternal().convolution(x, ws, bs, ONE, ZERO, ONE, to - from).singletonOrThrow();
            if (ws != w) {
                ws.close();
            }
            if (bs != b) {
                bs.close();
            }
            return y;
        }

        @Override
        public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
            return apply(ps, x, 0, (int) (weight.getArray().getShape().get(0) / out), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape s = inputShapes[0];
            return new Shape[] {new Shape(s.get(0), s.get(1) / in * out, s.get(2), s.get(3))};
        }
    }

    /**
     * ICNR: a (O, I, k, k) weight whose rows r·j .. r·j + r - 1 (the r outputs a pixel shuffle by sqrt(r) interleaves
     * into one channel) all equal row j of a N(0, σ) draw of shape (O / r, I, k, k).
     */
    record Icnr(int shared, float sigma) implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            long rows = shape.get(0) / shared;
            Shape base = new Shape(rows, shape.get(1), shape.get(2), shape.get(3));
            try (NDArray draw = manager.randomNormal(0f, sigma, base, dataType);
                 NDArray column = draw.expandDims(1);
                 NDArray spread = column.broadcast(rows, shared, shape.get(1), shape.get(2), shape.get(3));
                 NDArray shaped = spread.reshape(shape)) {
                return shaped.duplicate();
            }
        }
    }
}
