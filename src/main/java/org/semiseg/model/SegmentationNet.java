package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A segmentation network on a dilated ResNet encoder ({@code backbone}): a DeepLabv2 ASPP classifier ({@code aspp}),
 * a DeepLabv3+ head ({@code aspp}, {@code decoder}, {@code classifier}), or CCT's network (Ouali et al., CVPR 2020):
 * pyramid pooling at the end of the encoder ({@code psp}, {@link PyramidPooling}) and the authors' main decoder,
 * a 1x1 conv to C and pixel-shuffle upsampling blocks ({@code decoder}, {@link ShuffleDecoder}).
 *
 * <p>forward input: [x (N, 3, H, W) float32, normalised]. Output: [logits (N, numClasses, H, W), upsampled
 * bilinearly (align_corners=false) to the input size; features (N, {@link #featureChannels()}, h, w)], the
 * pre-classifier feature map, at stride {@link #featureStride()} (DeepLabv2: the encoder output at stride 8;
 * DeepLabv3+: the decoder output at stride 4; pspnet: the pyramid pooling output at the output stride). Sizes along
 * the way round up: h = ceil(H / stride) for strides
 * that are powers of two ({@code ceil(ceil(H/2)/2)...}).
 *
 * <p>The parts are public for methods that work inside the network: {@link #encode} gives the encoder's feature
 * levels, {@link #decode} runs the decoder and classifier on them (as UniMatch's {@code _decode(c1, c4)}), and
 * {@link #classify} the classifier alone.
 *
 * <p>In training mode BN uses batch statistics, so the image-pooling branch of DeepLabv3+ needs N >= 2.
 */
public final class SegmentationNet extends ModuleBlock {

    private final ModelSpec spec;
    private final ResNetEncoder backbone;
    private final DeepLabV2Head v2Head;
    private final Aspp aspp;
    private final Decoder decoder;
    private final Conv2d classifier;
    private final PyramidPooling psp;
    private final ShuffleDecoder shuffleDecoder;
    private final int featureChannels;

    SegmentationNet(ModelSpec spec) {
        this(spec, null);
    }

    /**
     * @param encoderOf null: a new encoder; otherwise a network whose encoder (the ResNet, and for pspnet its pyramid
     *                  pooling) this one shares, the same blocks and so the same arrays
     */
    SegmentationNet(ModelSpec spec, SegmentationNet encoderOf) {
        this.spec = spec;
        backbone = addChildBlock("backbone", encoderOf != null ? encoderOf.backbone
                : new ResNetEncoder(spec.backbone(), spec.outputStride(), spec));
        if (spec.arch().equals(ModelSpec.DEEPLABV2)) {
            v2Head = addChildBlock("aspp", new DeepLabV2Head(backbone.outChannels(), spec.numClasses()));
            aspp = null;
            decoder = null;
            classifier = null;
            psp = null;
            shuffleDecoder = null;
            featureChannels = backbone.outChannels();
        } else if (spec.arch().equals(ModelSpec.PSPNET)) {
            v2Head = null;
            aspp = null;
            decoder = null;
            classifier = null;
            psp = addChildBlock("psp", encoderOf != null ? encoderOf.psp : new PyramidPooling(backbone.outChannels()));
            shuffleDecoder = addChildBlock("decoder",
                    new ShuffleDecoder(psp.outChannels(), spec.numClasses(), spec.outputStride(), 1));
            featureChannels = psp.outChannels();
        } else {
            int channels = spec.scaled(256);
            v2Head = null;
            aspp = addChildBlock("aspp", new Aspp(backbone.outChannels(), channels, spec.outputStride()));
            decoder = addChildBlock("decoder",
                    new Decoder(backbone.lowLevelChannels(), spec.scaled(48), channels, channels));
            classifier = addChildBlock("classifier", new Conv2d(channels, spec.numClasses(), 1, 1, 1, true));
            psp = null;
            shuffleDecoder = null;
            featureChannels = channels;
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Channels F of the pre-classifier feature map. */
    public int featureChannels() {
        return featureChannels;
    }

    /** Channels of {@link Features#highLevel()}: layer4's, or for pspnet the pyramid pooling's. */
    public int highLevelChannels() {
        return psp != null ? psp.outChannels() : backbone.outChannels();
    }

    /** Output stride of the encoder (8 or 16), as in the spec. */
    public int outputStride() {
        return spec.outputStride();
    }

    /**
     * Stride of the feature map returned by forward: 8 for DeepLabv2, 4 for DeepLabv3+ (decoder output), the output
     * stride for pspnet.
     */
    public int featureStride() {
        return aspp == null ? spec.outputStride() : 4;
    }

    /**
     * Every parameter of the encoder, BN statistics included: the ResNet, and for pspnet its pyramid pooling. These are
     * what {@link Models#sharingEncoder} shares between networks.
     */
    public java.util.Set<Parameter> encoderParameters() {
        java.util.Set<Parameter> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        out.addAll(backbone.getParameters().values());
        if (psp != null) {
            out.addAll(psp.getParameters().values());
        }
        return out;
    }

    /** Trainable parameters of the encoder (base learning rate). */
    public List<Parameter> backboneParameters() {
        return trainable(backbone);
    }

    /**
     * Trainable parameters of everything but the ResNet: ASPP, decoder, classifier; pspnet: pyramid pooling and decoder
     * (10x learning rate; the authors of CCT also give the pyramid pooling the decoders' rate).
     */
    public List<Parameter> headParameters() {
        List<Parameter> out = new ArrayList<>();
        for (var child : getChildren().values()) {
            if (child != backbone) {
                out.addAll(trainable(child));
            }
        }
        return out;
    }

    private static List<Parameter> trainable(ai.djl.nn.Block block) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The encoder: (N, 3, H, W) normalised images to {@link Features} (layer1 at stride 4, the encoder output at the
     * output stride: layer4, or for pspnet the pyramid pooling on it). Sizes round up: h = ceil(H / stride).
     */
    public Features encode(ParameterStore ps, NDArray x, boolean training) {
        NDList encoded = backbone.features(ps, x, training);
        NDArray high = encoded.get(1);
        if (psp != null) {
            high = psp.apply(ps, encoded.get(1), training);
            encoded.get(1).close();
        }
        return new Features(encoded.get(0), 4, high, spec.outputStride());
    }

    /** Whether {@link #decode} reads {@link Features#lowLevel()}: DeepLabv3+'s decoder does; deeplabv2 and pspnet do not. */
    public boolean usesLowLevel() {
        return aspp != null;
    }

    /**
     * The decoder and classifier on (possibly perturbed) encoder features: DeepLabv3+ runs ASPP on the high level,
     * fuses the low level and classifies; DeepLabv2 and pspnet classify the high level (ASPP head; pixel-shuffle
     * decoder). The logits are
     * upsampled to {@code height} x {@code width} (the input size, normally). The inputs are left open, so one
     * {@link Features} can be decoded more than once.
     */
    public DecoderOutput decode(ParameterStore ps, Features f, long height, long width, boolean training) {
        NDArray features;
        if (aspp == null) {
            features = f.highLevel();
        } else {
            NDArray context = aspp.apply(ps, f.highLevel(), training);
            features = decoder.apply(ps, context, f.lowLevel(), training);
            context.close();
        }
        NDArray logits = classify(ps, features, training);
        NDArray upsampled = Interpolation.bilinear(logits, height, width);
        if (upsampled != logits) {
            logits.close();
        }
        return new DecoderOutput(features, upsampled);
    }

    /**
     * The classifier alone: pre-classifier features (N, F, h, w) to logits (N, C, h, w) at the same size (DeepLabv3+:
     * a 1x1 conv; DeepLabv2: the ASPP head's four dilated 3x3 convs), except pspnet, whose pixel-shuffle decoder gives
     * logits at s times the size, (N, C, s·h, s·w) with s the output stride.
     */
    public NDArray classify(ParameterStore ps, NDArray features, boolean training) {
        if (shuffleDecoder != null) {
            return shuffleDecoder.apply(ps, features, training);
        }
        return v2Head != null ? v2Head.apply(ps, features, training) : classifier.apply(ps, features, training);
    }

    /** @return [logits (N, C, H, W), features (N, F, h, w)] */
    NDList logitsAndFeatures(ParameterStore ps, NDArray x, boolean training) {
        Shape in = x.getShape();
        Features encoded = encode(ps, x, training);
        DecoderOutput out = decode(ps, encoded, in.get(2), in.get(3), training);
        if (aspp != null) {
            // inference keeps less alive this way; autograd keeps what backward needs regardless
            encoded.highLevel().close();
        }
        encoded.lowLevel().close();
        return new NDList(out.logits(), out.features());
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return logitsAndFeatures(ps, x, training).get(0);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return logitsAndFeatures(ps, inputs.get(0), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape[] enc = backbone.getOutputShapes(inputShapes);
        Shape features = aspp == null ? new Shape(in.get(0), featureChannels, enc[1].get(2), enc[1].get(3))
                : new Shape(in.get(0), featureChannels, enc[0].get(2), enc[0].get(3));
        return new Shape[] {new Shape(in.get(0), spec.numClasses(), in.get(2), in.get(3)), features};
    }
}
