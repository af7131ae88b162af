package org.semiseg.weak;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.semiseg.model.Activations;
import org.semiseg.model.Conv2d;
import org.semiseg.model.Interpolation;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.SegmentationNet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The classifier whose class activation maps become pseudo-masks (CCT, Ouali et al., CVPR 2020, "Using image-level
 * labels", step 1: "train the encoder for image classification"): the segmentation network's encoder (its dilated
 * ResNet; for {@code pspnet} with its pyramid pooling) gives z (N, F, h, w), global average pooling and a linear
 * layer without bias, W (C', F), give one logit per output class, y = W · mean_hw(z). The outputs are the classes
 * a tag can name: every class but the background class. As in the authors' {@code pseudo_labels/net/resnet50_cam.py}
 * the layer has no bias, so that a CAM is the same product at each position (Zhou et al., "Learning Deep Features for
 * Discriminative Localization", CVPR 2016): M_c = ReLU(W_c · z) ({@link #cams}).
 */
public final class CamClassifier {
    private final SegmentationNet net;
    private final Conv2d head;
    private final List<Integer> outputs;

    /**
     * @param net     an initialised network; only its encoder is used
     * @param outputs the classes of the outputs, in order
     */
    public CamClassifier(SegmentationNet net, List<Integer> outputs, NDManager manager) {
        this.net = net;
        this.outputs = List.copyOf(outputs);
        int channels = net.highLevelChannels();
        this.head = new Conv2d(channels, outputs.size(), 1, 1, 1, false);
        head.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 1, 1));
        // torch's default for the authors' nn.Conv2d classifier: U(±1/sqrt(F)), so the first logits are small
        float bound = (float) (1 / Math.sqrt(channels));
        try (NDArray start = manager.randomUniform(-bound, bound, head.weight().getArray().getShape())) {
            head.weight().getArray().set(new ai.djl.ndarray.index.NDIndex("..."), start);
        }
    }

    /** The classes of the outputs, in order. */
    public List<Integer> outputs() {
        return outputs;
    }

    /**
     * The trained parameters by name: the encoder's ({@code backbone.*}, and {@code psp.*} for pspnet: the base
     * learning rate) and the linear layer's ({@code cam.weight}: the head learning rate).
     *
     * @return {@code [encoder, head]}
     */
    public List<Map<String, NDArray>> parameterGroups() {
        Set<Parameter> encoder = new java.util.HashSet<>(net.backboneParameters());
        Map<String, NDArray> body = new LinkedHashMap<>();
        ParameterNames.of(net).forEach((name, p) -> {
            if (p.requiresGradient() && (encoder.contains(p) || name.startsWith("psp."))) {
                body.put(name, p.getArray());
            }
        });
        Map<String, NDArray> top = new LinkedHashMap<>();
        ParameterNames.of(head).forEach((name, p) -> top.put("cam." + name, p.getArray()));
        return List.of(body, top);
    }

    /** y = W · mean_hw(z): (N, 3, H, W) normalised images to logits (N, C'). */
    public NDArray logits(ParameterStore ps, NDArray images, boolean training) {
        NDArray z = net.encode(ps, images, training).highLevel();
        NDArray m = head.apply(ps, z, training);                                            // (N, C', h, w)
        return m.reshape(m.getShape().get(0), m.getShape().get(1), -1).mean(new int[] {2});
    }

    /**
     * The multi-label loss the authors train with ({@code F.multilabel_soft_margin_loss}): the mean over images and
     * outputs of the binary cross-entropy of sigmoid(y) with the tags, written stably as
     * max(y, 0) − y·t + log(1 + e^−|y|).
     *
     * @param logits  (N, C')
     * @param targets (N, C') 1 where the image has the tag, 0 elsewhere
     */
    public static NDArray loss(NDArray logits, NDArray targets) {
        NDArray softplus = logits.abs().neg().exp().add(logits.onesLike()).log();
        return Activations.relu(logits).sub(logits.mul(targets)).add(softplus).mean();
    }

    /**
     * The normalised CAMs of a batch of images, each for its own classes (a subset of {@link #outputs()}): at each
     * scale s the images are resized (bilinear) to round(s·H) x round(s·W), M = ReLU(W · z) on their encoder output
     * (eval mode) is resized back to H x W, and the scales are summed; each image's map of a class is then divided by
     * its maximum (+1e-5), as the authors' {@code make_cam.py} (from Ahn et al.'s irn) does, so it lies in [0, 1).
     *
     * @param images  (N, 3, H, W) normalised
     * @param classes per image, the class indices whose maps are wanted
     * @return per image, one (H·W) map per class of its {@code classes}, in that order
     */
    public List<List<float[]>> cams(ParameterStore ps, NDArray images, List<List<Integer>> classes, List<Double> scales) {
        long n = images.getShape().get(0);
        long h = images.getShape().get(2);
        long w = images.getShape().get(3);
        int plane = (int) (h * w);
        float[] values;
        try (NDManager scratch = images.getManager().newSubManager()) {
            NDArray sum = null;
            for (double s : scales) {
                NDArray x = Interpolation.bilinear(images, Math.max(1, Math.round(s * h)), Math.max(1, Math.round(s * w)));
                if (x != images) {
                    x.attach(scratch);
                }
                NDArray z = net.encode(ps, x, false).highLevel();
                z.attach(scratch);
                NDArray up = Interpolation.bilinear(Activations.relu(head.apply(ps, z, false)), h, w);  // (N, C', H, W)
                sum = sum == null ? up : sum.add(up);
            }
            values = sum.toFloatArray();
        }
        List<List<float[]>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<float[]> maps = new ArrayList<>();
            for (int c : classes.get(i)) {
                int row = outputs.indexOf(c);
                if (row < 0) {
                    throw new IllegalArgumentException("class " + c + " is not among the outputs " + outputs);
                }
                float[] map = new float[plane];
                System.arraycopy(values, (int) ((i * (long) outputs.size() + row) * plane), map, 0, plane);
                maps.add(normalised(map));
            }
            out.add(maps);
        }
        return out;
    }

    /** The map divided by its maximum + 1e-5 (in place). */
    static float[] normalised(float[] map) {
        float max = 0;
        for (float v : map) {
            max = Math.max(max, v);
        }
        float scale = 1f / (max + 1e-5f);
        for (int i = 0; i < map.length; i++) {
            map[i] *= scale;
        }
        return map;
    }
}
