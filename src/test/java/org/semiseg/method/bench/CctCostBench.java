package org.semiseg.method.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.semiseg.bench.BenchArgs;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.method.Step;
import org.semiseg.method.cct.Consistency;
import org.semiseg.method.cct.Passes;
import org.semiseg.method.cct.Perturbation;
import org.semiseg.method.cct.PerturbedCopies;
import org.semiseg.model.Features;
import org.semiseg.model.Interpolation;
import org.semiseg.model.ModelSpec;
import org.semiseg.model.Models;
import org.semiseg.model.SegmentationNet;
import org.semiseg.model.ShuffleDecoder;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a CCT step's time goes, forward + backward of each part on its own, at the demo's sizes (bench/cct/run.sh):
 * the encoder and main decoder, the K auxiliary decoders, the consistency term, and the perturbations themselves
 * ({@link PerturbedCopies#stack} of each kind at the authors' count, and of all 30, on z (N, F, h, w) with a gradient:
 * VAT's float64 power iteration through its decoders, guided cutout's host masks from a blocky label map).
 * Arguments key=value: backbone, width, os, classes, labeled, unlabeled, size, decoders (K), warmup, steps, chunk
 * (decoders per pass in the chunked variant; default {@link Passes#chunk}'s).
 */
public final class CctCostBench {
    private CctCostBench() {
    }

    public static void main(String[] args) {
        Map<String, String> a = BenchArgs.parse(args);
        int classes = Integer.parseInt(a.getOrDefault("classes", "6"));
        ModelSpec spec = new ModelSpec("deeplabv3plus", a.getOrDefault("backbone", "resnet18"),
                Integer.parseInt(a.getOrDefault("os", "8")), Double.parseDouble(a.getOrDefault("width", "0.25")), classes);
        int nl = Integer.parseInt(a.getOrDefault("labeled", "8"));
        int nu = Integer.parseInt(a.getOrDefault("unlabeled", "8"));
        int size = Integer.parseInt(a.getOrDefault("size", "64"));
        int k = Integer.parseInt(a.getOrDefault("decoders", "30"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "3"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "15"));
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet net = Models.build(spec);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
            int f = net.highLevelChannels();
            int stride = net.outputStride();
            ShuffleDecoder aux = new ShuffleDecoder(f, classes, stride, k);
            aux.initialize(manager, DataType.FLOAT32, new Shape(1, (long) k * f, 1, 1));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(new Shape(nl + nu, 3, size, size));
            NDArray labels = manager.randomInteger(0, classes, new Shape(nl + nu, size, size), DataType.INT64);
            int h = size / stride;
            NDArray z = manager.randomNormal(new Shape(nu, (long) k * f, h, h)).maximum(0f);
            NDArray auxLogits = manager.randomNormal(new Shape(nu, k, classes, size, size));
            NDArray main = manager.randomNormal(new Shape(nu, classes, size, size));
            NDArray valid = manager.ones(new Shape(nu, size, size), DataType.BOOLEAN);
            NDArray one = manager.randomNormal(new Shape(nu, f, h, h)).maximum(0f);
            NDArray guide = blocks(manager, nu, size, classes);
            INPUTS.addAll(new NDList(x, labels, z, auxLogits, main, valid, one, guide));
            System.out.printf("cct cost: %s, %d labeled + %d unlabeled at %d^2, K=%d, F=%d, h=%d, threads=%s%n", spec, nl, nu,
                    size, k, f, h, System.getProperty("ai.djl.pytorch.num_threads", "default"));

            time("encoder+main decoder (N=" + (nl + nu) + ", CE)", warmup, steps, manager, m -> {
                Features feats = net.encode(ps, x, true);
                NDArray logits = net.decode(ps, feats, size, size, true).logits();
                return WeightedCrossEntropy.hard(logits, labels, 255, null, null);
            }, null);
            time("aux decoders alone (K=" + k + ")", warmup, steps, manager, m -> {
                NDArray out = aux.apply(ps, z, true);
                return out.mul(out).mean();
            }, z);
            time("consistency alone (N, K, C, H, W)", warmup, steps, manager,
                    m -> Consistency.perDecoder(auxLogits, Consistency.target(main, valid, null)).mean(),
                    auxLogits);
            time("aux decoders + upsampling + consistency", warmup, steps, manager, m -> {
                NDArray out = Interpolation.bilinear(aux.apply(ps, z, true), size, size);
                return Consistency.perDecoder(out.reshape(nu, k, classes, size, size),
                        Consistency.target(main, valid, null)).mean();
            }, z);
            int chunk = a.containsKey("chunk") ? Integer.parseInt(a.get("chunk")) : Passes.chunk(nu, classes, size, size, k,
                    Passes.CHUNK_BYTES);
            time("the same in chunks of " + chunk + " decoders", warmup, steps, manager, m -> {
                NDList parts = new NDList();
                Consistency.Target target = Consistency.target(main, valid, null);
                for (NDArray perAux : Passes.logits(aux, ps, z, chunk, size, size)) {
                    parts.add(Consistency.perDecoder(perAux, target));
                }
                return GraphSafe.concat(parts, 0).mean();
            }, z);
            time("aux decoders + consistency, z without gradient", warmup, steps, manager, m -> {
                NDArray out = aux.apply(ps, z, true);
                return Consistency.perDecoder(out.reshape(nu, k, classes, size, size),
                        Consistency.target(main, valid, null)).mean();
            }, null);

            // the perturbations alone: z (N, F, h, w) to the stacked copies (N, K·F, h, w), forward and backward
            boolean[] objects = new boolean[classes + 1];
            for (int c = 1; c < classes; c++) {
                objects[c] = true;                                  // class 0 is background, as the authors assume
            }
            PerturbedCopies.Parameters p = new PerturbedCopies.Parameters(0.5, 0.6, 0.9, 0.3, 1e-6, 2.0, 0.4, 50, 320);
            Map<Perturbation, Integer> all = Perturbation.authorsCounts();
            for (Perturbation kind : Perturbation.values()) {
                perturbation(kind.key() + " x" + kind.authorsCount(), Map.of(kind, kind.authorsCount()), net, ps, f,
                        classes, p, objects, one, guide, warmup, steps, manager);
            }
            perturbation("all 30", all, net, ps, f, classes, p, objects, one, guide, warmup, steps, manager);
        }
    }

    private static void perturbation(String name, Map<Perturbation, Integer> kinds, SegmentationNet net,
                                     ParameterStore ps, int f, int classes, PerturbedCopies.Parameters p,
                                     boolean[] objects, NDArray z, NDArray guide, int warmup, int steps,
                                     NDManager manager) {
        Map<Perturbation, Integer> counts = new EnumMap<>(Perturbation.class);
        counts.putAll(kinds);
        int k = counts.values().stream().mapToInt(Integer::intValue).sum();
        ShuffleDecoder decoders = new ShuffleDecoder(f, classes, net.outputStride(), k);
        decoders.initialize(manager, DataType.FLOAT32, new Shape(1, (long) k * f, 1, 1));
        PerturbedCopies copies = new PerturbedCopies(counts, decoders, p, objects);
        int[] iteration = {0};
        time("perturbation " + name, warmup, steps, manager, m -> {
            Step step = new Step(net, ps, m, null, null, 255, 1, iteration[0]++, 1000);
            NDArray stacked = copies.stack(step, z, guide);
            return GraphSafe.divide(stacked.sum(), stacked.size());
        }, z);
    }

    /** (N, size, size) int64 labels constant on 8 x 8 blocks (objects of a few blocks, like a real argmax map). */
    private static NDArray blocks(NDManager manager, int n, int size, int classes) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        int cells = (size + 7) / 8;
        long[] labels = new long[n * size * size];
        for (int i = 0; i < n; i++) {
            long[] cell = new long[cells * cells];
            for (int c = 0; c < cell.length; c++) {
                cell[c] = random.nextInt(classes);
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    labels[(i * size + y) * size + x] = cell[(y / 8) * cells + x / 8];
                }
            }
        }
        return manager.create(labels, new Shape(n, size, size));
    }

    /**
     * The inputs of every timed part: attached to each iteration's manager while it runs, so that the part's arrays
     * (which land in their first operand's manager) are freed at its end, as the trainer's step manager frees a step's.
     */
    private static final NDList INPUTS = new NDList();

    private static void time(String name, int warmup, int steps, NDManager manager, Function<NDManager, NDArray> loss,
                             NDArray leaf) {
        double[] fwd = new double[steps];
        double[] bwd = new double[steps];
        for (int i = 0; i < warmup + steps; i++) {
            try (NDManager m = manager.newSubManager()) {
                for (NDArray input : INPUTS) {
                    input.tempAttach(m);
                }
                if (leaf != null) {
                    leaf.setRequiresGradient(true);
                }
                long t0 = System.nanoTime();
                try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    NDArray l = loss.apply(m);
                    l.getFloat();
                    long t1 = System.nanoTime();
                    c.backward(l);
                    long t2 = System.nanoTime();
                    if (i >= warmup) {
                        fwd[i - warmup] = (t1 - t0) / 1e6;
                        bwd[i - warmup] = (t2 - t1) / 1e6;
                    }
                }
            }
        }
        System.out.printf("%-45s forward %7.1f ms  backward %7.1f ms  (medians of %d)%n", name, BenchArgs.median(fwd), BenchArgs.median(bwd), steps);
    }
}
