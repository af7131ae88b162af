package org.semiseg.model.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.model.ParameterNames;
import org.semiseg.train.Sgd;
import java.util.LinkedHashMap;
import java.util.Map;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.semiseg.model.ModelSpec;
import org.semiseg.model.Models;
import org.semiseg.model.SegmentationNet;

/**
 * One training step of DeepLabv3+ (forward, cross-entropy with ignore index 255, backward, SGD momentum 0.9 +
 * weight decay) timed on the CPU; the twin of bench/step/torch_step.py. Arguments (all optional, key=value):
 * arch, backbone, os, width, classes, batch, size, warmup, steps. Prints one line per measured step and a summary
 * line "RESULT djl median_ms=... params=...".
 */
public final class StepBench {

    private static final int IGNORE = 255;
    private static final float LR = 0.01f;
    private static final float MOMENTUM = 0.9f;
    private static final float WEIGHT_DECAY = 1e-4f;

    private StepBench() {}

    public static void main(String[] args) {
        java.util.Map<String, String> a = org.semiseg.bench.BenchArgs.parse(args);
        ModelSpec spec = new ModelSpec(a.getOrDefault("arch", "deeplabv3plus"), a.getOrDefault("backbone", "resnet50"),
                Integer.parseInt(a.getOrDefault("os", "16")), Double.parseDouble(a.getOrDefault("width", "1.0")),
                Integer.parseInt(a.getOrDefault("classes", "21")));
        int batch = Integer.parseInt(a.getOrDefault("batch", "4"));
        int size = Integer.parseInt(a.getOrDefault("size", "256"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "3"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "10"));

        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet net = Models.build(spec);
            net.initialize(manager, DataType.FLOAT32, new Shape(batch, 3, size, size));
            // semiseg's own optimizer over the trainable parameters (one learning rate for all, as on the torch side)
            Map<String, NDArray> trainable = new LinkedHashMap<>();
            ParameterNames.of(net).forEach((name, p) -> {
                if (p.requiresGradient()) {
                    trainable.put(name, p.getArray());
                }
            });
            long count = trainable.values().stream().mapToLong(w -> w.getShape().size()).sum();
            Sgd sgd = new Sgd(List.of(new Sgd.Group(trainable, 1.0)), MOMENTUM, WEIGHT_DECAY, manager);
            long all = net.getParameters().values().stream().mapToLong(p -> p.getArray().getShape().size()).sum();
            System.out.printf("djl: %s threads=%s trainable_params=%d all_params_incl_bn_stats=%d%n", spec,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), count, all);

            // one fixed batch, made outside the timed region (as on the torch side)
            NDArray x = manager.randomNormal(new Shape(batch, 3, size, size));
            NDArray labels = manager.randomInteger(0, spec.numClasses(), new Shape(batch, size, size),
                    DataType.INT64);
            NDArray ignore = manager.randomUniform(0f, 1f, labels.getShape()).lt(0.1f).toType(DataType.INT64, false);
            labels = labels.mul(ignore.neg().add(1)).add(ignore.mul(IGNORE)); // about 10% ignored

            ParameterStore ps = new ParameterStore(manager, false);
            double[] ms = new double[steps];
            for (int i = 0; i < warmup + steps; i++) {
                long t0 = System.nanoTime();
                float loss = step(net, ps, manager, sgd, x, labels);
                double elapsed = (System.nanoTime() - t0) / 1e6;
                if (i >= warmup) {
                    ms[i - warmup] = elapsed;
                }
                System.out.printf("djl step %d%s %.1f ms loss %.4f (forward+loss %.0f, backward %.0f, sgd %.0f)%n", i,
                        i < warmup ? " (warm-up)" : "", elapsed, loss, (PHASES[0] - t0) / 1e6,
                        (PHASES[1] - PHASES[0]) / 1e6, (PHASES[2] - PHASES[1]) / 1e6);
            }
            double median = org.semiseg.bench.BenchArgs.median(ms);
            System.out.printf("RESULT djl median_ms=%.1f params=%d%n", median, count);
        }
    }

    private static float step(SegmentationNet net, ParameterStore ps, NDManager manager, Sgd sgd, NDArray x,
            NDArray labels) {
        float lossValue;
        try (NDManager step = manager.newSubManager()) {
            // every array derived from x lands in the step's manager and is freed with it
            x.tempAttach(step);
            labels.tempAttach(step);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = net.forward(ps, new NDList(x), true);
                // the trainer's loss: Eq. 3 with alpha = beta = 1, mean over pixels whose label is not IGNORE
                NDArray loss = WeightedCrossEntropy.hard(out.get(0), labels, IGNORE, null, null);
                lossValue = loss.getFloat();
                PHASES[0] = System.nanoTime();
                collector.backward(loss);
                PHASES[1] = System.nanoTime();
            }
            sgd.step(LR); // the trainer's SGD (torch's rule), which also zeroes the gradients
        }
        PHASES[2] = System.nanoTime();
        return lossValue;
    }

    /** End times of forward+loss, backward, optimizer (incl. freeing the step) of the last step. */
    private static final long[] PHASES = new long[3];
}
