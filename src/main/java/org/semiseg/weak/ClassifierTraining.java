package org.semiseg.weak;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.augment.Augmentations;
import org.semiseg.config.Config;
import org.semiseg.data.BatchLoader;
import org.semiseg.data.HostBatch;
import org.semiseg.data.SegDataset;
import org.semiseg.data.Seeds;
import org.semiseg.loss.GraphSafe;
import org.semiseg.train.PolyLr;
import org.semiseg.train.Sgd;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link CamClassifier} on images with tags: {@code weak.iterations} steps of {@code train.batch_size}
 * images drawn from the pixel-labeled images (tags: the classes their masks show) and the tagged ones, flipped and
 * scaled ({@link #AUGMENT}), SGD as {@code train.*} (momentum, weight decay, poly decay
 * from {@code train.lr}; the linear layer at {@code train.head_lr_multiplier} times it, as the authors' 10x). The
 * authors freeze BN in their ImageNet-pretrained ResNet-50; here the encoder may start from scratch, so BN trains. A
 * step whose loss or gradient is not finite is skipped (README, known issues).
 */
final class ClassifierTraining {
    private static final long STREAM = 0xCA7_C1A5L;
    /**
     * Flip, and a scale in [0.7, 1.3] cropped back to the image's size (or {@code augment.crop}): the authors resize
     * VOC's ~500-pixel images to a long side in [320, 640] and crop 512, which keeps most of each image, so that its
     * tags still hold for the crop. UniMatch's [0.5, 2] would often cut away what the tags name (a crop of a 2x zoom
     * keeps a quarter of the image).
     */
    static final AugmentPreset AUGMENT = new AugmentPreset("cam", 0.5, 1, 0.7, 1.3, 0, 0, 0, 0, 0, 0, 0);

    /**
     * @param loss    the mean loss over the last tenth of the steps
     * @param skipped steps skipped for non-finite values
     */
    record Result(double loss, int skipped, double seconds) {
    }

    private ClassifierTraining() {
    }

    /**
     * @param images  training indices of the images to learn from
     * @param targets per sample id, its tags as 1/0 over the classifier's outputs
     */
    static Result train(Config config, CamClassifier classifier, SegDataset dataset, List<Integer> images,
                        Map<String, float[]> targets, NDManager manager, PrintStream err) {
        int iterations = config.weak().iterations();
        int batch = Math.min(config.train().batchSize(), images.size());
        int outputs = classifier.outputs().size();
        List<Map<String, NDArray>> groups = classifier.parameterGroups();
        Sgd sgd = new Sgd(List.of(new Sgd.Group(groups.get(0), 1.0),
                new Sgd.Group(groups.get(1), config.train().headLrMultiplier())),
                config.train().momentum(), config.train().weightDecay(), manager);
        sgd.allocateGradients();
        PolyLr schedule = new PolyLr(config.train().lr(), iterations, config.train().polyPower());
        ParameterStore ps = new ParameterStore(manager, false);
        BatchLoader.Transform augment = Augmentations.geometric(AUGMENT, config.augment().cropHeight(),
                config.augment().cropWidth(), config.data().ignoreIndex());
        long start = System.nanoTime();
        double tail = 0;
        int tailSteps = 0;
        int skipped = 0;
        int every = Math.max(1, iterations / 10);
        try (BatchLoader loader = new BatchLoader(dataset, images, batch, Seeds.mix(config.seed(), STREAM), false, augment,
                null, 0, config.data().workers(), config.data().prefetch(), 0)) {
            for (int it = 0; it < iterations; it++) {
                HostBatch host = loader.take(it);
                float value;
                try (NDManager step = manager.newSubManager()) {
                    Engine.getInstance().setRandomSeed((int) Seeds.mix(config.seed(), STREAM, it));
                    NDArray x = step.create(host.images(), new Shape(host.size(), 3, host.height(), host.width()));
                    float[] t = new float[host.size() * outputs];
                    for (int i = 0; i < host.size(); i++) {
                        System.arraycopy(targets.get(host.ids()[i]), 0, t, i * outputs, outputs);
                    }
                    NDArray target = GraphSafe.upload(step, t, new Shape(host.size(), outputs));
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = CamClassifier.loss(classifier.logits(ps, x, true), target);
                        value = loss.getFloat();
                        collector.backward(loss);
                    }
                    if (Float.isFinite(value) && sgd.firstNonFiniteGradient() == null) {
                        sgd.step(schedule.at(it));
                    } else {
                        sgd.zeroGradients();
                        skipped++;
                    }
                }
                if (it >= iterations - every && Float.isFinite(value)) {
                    tail += value;
                    tailSteps++;
                }
                if ((it + 1) % every == 0 || it + 1 == iterations) {
                    err.printf("weak: classifier %d/%d, loss %.4f%n", it + 1, iterations, value);
                }
            }
        }
        return new Result(tailSteps == 0 ? Double.NaN : tail / tailSteps, skipped, (System.nanoTime() - start) / 1e9);
    }
}
