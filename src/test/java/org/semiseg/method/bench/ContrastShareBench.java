package org.semiseg.method.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.HostBatch;
import org.semiseg.method.Method;
import org.semiseg.method.MethodSetup;
import org.semiseg.method.Methods;
import org.semiseg.method.Step;
import org.semiseg.train.StepBatches;
import org.semiseg.model.ModelSpec;
import org.semiseg.model.Models;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.SegmentationNet;
import org.semiseg.train.Sgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The share of a memory-bank training step spent in the contrastive module (heads, attention modules, bank update,
 * Eq. 8-11): two copies of the same run, one with λcontr = 0.1 and one with λcontr = 0 (which skips the whole
 * module), stepped alternately on the same batches; share = (median on − median off) / median on. Each step is the
 * trainer's: method step inside a gradient collector, backward, SGD over student and heads, EMA update.
 * The bank pass (the teacher's training-mode forward over the labeled images whose features fill the bank, the
 * paper's Figure 3; part of the "on" step) is also timed on its own after each pair, on the same images, and
 * reported apart: the module's own share = (on − off − bank pass) / on.
 *
 * <p>Arguments (key=value, all optional): classes (11), batch (8), height (176), width (240), arch, backbone,
 * os (8), width_mult (0.25), dim (null: 256 × width), warmup (5), steps (20), profile (a folder: one more
 * pair under PyTorch's profiler, on.json and off.json). Defaults are configs/camvid.yaml's
 * network and crop. Prints one line per measured pair and "RESULT share=...".
 */
public final class ContrastShareBench {
    private static final int IGNORE = 255;

    private ContrastShareBench() {
    }

    public static void main(String[] args) {
        Map<String, String> a = org.semiseg.bench.BenchArgs.parse(args);
        int classes = Integer.parseInt(a.getOrDefault("classes", "11"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "8"));
        int h = Integer.parseInt(a.getOrDefault("height", "176"));
        int w = Integer.parseInt(a.getOrDefault("width", "240"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "5"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "20"));
        String widthMult = a.getOrDefault("width_mult", "0.25");
        List<String> common = new ArrayList<>(List.of("method.name=memory-bank", "method.warmup=0",
                "method.memory-bank.bank.quality_filter=false", "model.arch=" + a.getOrDefault("arch", "deeplabv3plus"),
                "model.backbone=" + a.getOrDefault("backbone", "resnet18"), "model.output_stride=" + a.getOrDefault("os", "8"),
                "model.width=" + widthMult, "train.batch_size=" + batch, "train.iterations=100000"));
        if (a.containsKey("dim")) {
            common.add("method.memory-bank.bank.dim=" + a.get("dim"));
        }
        List<String> off = new ArrayList<>(common);
        off.add("method.memory-bank.weights.contr=0");
        try (Rig on = new Rig(ConfigLoader.load(null, common), classes, h, w);
             Rig without = new Rig(ConfigLoader.load(null, off), classes, h, w)) {
            System.out.println("network " + on.student.spec() + ", contrastive head width " + on.dimension()
                    + ", batch " + batch + " labeled + " + batch + " unlabeled x " + on.config.method().unlabeledViews()
                    + " views, " + h + "x" + w + ", " + classes + " classes");
            SplittableRandom rng = new SplittableRandom(5);
            List<Double> withMs = new ArrayList<>();
            List<Double> withoutMs = new ArrayList<>();
            List<Double> bankPassMs = new ArrayList<>();
            for (int i = 0; i < warmup + steps; i++) {
                HostBatch labeled = batch(rng, batch, h, w, classes, true, 0);
                HostBatch unlabeled = batch(rng, batch, h, w, classes, false, 2);
                // alternate which side goes first so drifting load hits both
                double t1;
                double t0;
                if (i % 2 == 0) {
                    t1 = on.step(i, labeled, unlabeled);
                    t0 = without.step(i, labeled, unlabeled);
                } else {
                    t0 = without.step(i, labeled, unlabeled);
                    t1 = on.step(i, labeled, unlabeled);
                }
                double pass = on.bankPass(labeled);
                if (i >= warmup) {
                    withMs.add(t1);
                    withoutMs.add(t0);
                    bankPassMs.add(pass);
                    System.out.printf("step %d with %.1f ms without %.1f ms bank pass %.1f ms bank fill %d%n", i, t1, t0,
                            pass, on.bankFill());
                }
            }
            double m1 = median(withMs);
            double m0 = median(withoutMs);
            double mp = median(bankPassMs);
            System.out.printf("RESULT with_ms=%.1f without_ms=%.1f bank_pass_ms=%.1f share=%.4f bank_pass_share=%.4f"
                    + " module_share=%.4f%n", m1, m0, mp, (m1 - m0) / m1, mp / m1, (m1 - m0 - mp) / m1);
            if (a.containsKey("profile")) {
                // one more pair under PyTorch's profiler: a chrome trace per side, compared op by op by
                // bench/contrast/profile.py
                java.nio.file.Path dir = java.nio.file.Path.of(a.get("profile"));
                try {
                    java.nio.file.Files.createDirectories(dir);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                int i = warmup + steps;
                HostBatch labeled = batch(rng, batch, h, w, classes, true, 0);
                HostBatch unlabeled = batch(rng, batch, h, w, classes, false, 2);
                for (Rig side : List.of(on, without)) {
                    ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
                    double ms = side.step(i, labeled, unlabeled);
                    String file = dir.resolve(side == on ? "on.json" : "off.json").toString();
                    ai.djl.pytorch.jni.JniUtils.stopProfile(file);
                    System.out.printf("profiled %s: %.1f ms -> %s%n", side == on ? "with" : "without", ms, file);
                }
            }
        }
    }

    private static double median(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Random images; CamVid-like label bands with objects; unlabeled padding masks with a padded border. */
    static HostBatch batch(SplittableRandom rng, int n, int h, int w, int classes, boolean labeled, int views) {
        float[] images = new float[n * 3 * h * w];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) rng.nextGaussian();
        }
        int[] masks = new int[n * h * w];
        for (int b = 0; b < n; b++) {
            int shift = rng.nextInt(w);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int band = y * Math.max(1, classes - 3) / h; // sky .. road in bands
                    int object = ((x + shift) / 24) % 6 == 0 ? classes - 3 + ((x + shift) / 24 / 6) % 3 : -1;
                    int label = object >= 0 && y > h / 3 ? object : band;
                    masks[(b * h + y) * w + x] = labeled ? label : (x >= w - 8 ? IGNORE : 0);
                }
            }
        }
        float[][] strong = null;
        if (views > 0) {
            strong = new float[views][];
            for (int v = 0; v < views; v++) {
                strong[v] = images.clone();
                for (int i = 0; i < images.length; i++) {
                    strong[v][i] += (float) (0.1 * rng.nextGaussian());
                }
            }
        }
        String[] ids = new String[n];
        Arrays.fill(ids, "synthetic");
        return new HostBatch(images, strong, masks, ids, n, h, w);
    }

    private static final class Rig implements AutoCloseable {
        final Config config;
        final NDManager manager = NDManager.newBaseManager();
        final SegmentationNet student;
        final Method method;
        final ParameterStore ps;
        final Sgd sgd;
        final MethodSetup setup;

        Rig(Config config, int classes, int h, int w) {
            this.config = config;
            Engine.getInstance().setRandomSeed(1);
            student = Models.build(new ModelSpec(config.model().arch(), config.model().backbone(),
                    config.model().outputStride(), config.model().width(), classes));
            student.initialize(manager, DataType.FLOAT32, new Shape(1, 3, h, w));
            method = Methods.create(config);
            List<String> names = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                names.add("class" + c);
            }
            long[] counts = new long[classes];
            Arrays.fill(counts, 1);
            setup = new MethodSetup(config, student, manager, names, 46, counts);
            method.initialize(setup);
            Map<String, NDArray> trainable = new LinkedHashMap<>();
            ParameterNames.of(student).forEach((name, p) -> {
                if (p.requiresGradient()) {
                    trainable.put(name, p.getArray());
                }
            });
            for (org.semiseg.method.Module m : setup.modules()) {
                if (m.trained()) {
                    ParameterNames.of(m.block()).forEach((name, p) -> {
                        if (p.requiresGradient()) {
                            trainable.put(m.name() + "." + name, p.getArray());
                        }
                    });
                }
            }
            sgd = new Sgd(List.of(new Sgd.Group(trainable, 1.0)), 0.9, 5e-4, manager);
            ps = new ParameterStore(manager, false);
        }

        int dimension() {
            Integer dim = bankSettings(config).dim();
            return dim != null ? dim : student.spec().scaled(256);
        }

        int bankFill() {
            int fill = 0;
            for (NDArray x : method.state()) {
                if ("bank.fill".equals(x.getName())) {
                    for (int v : x.toType(DataType.INT32, false).toIntArray()) {
                        fill += v;
                    }
                }
            }
            return fill;
        }

        double step(int iteration, HostBatch labeled, HostBatch unlabeled) {
            long start = System.nanoTime();
            try (NDManager step = manager.newSubManager()) {
                Shape img = new Shape(labeled.size(), 3, labeled.height(), labeled.width());
                List<NDArray> strong = new ArrayList<>();
                for (float[] v : unlabeled.strongViews()) {
                    strong.add(step.create(v, img));
                }
                Step ctx = new Step(student, ps, step, StepBatches.of(step, labeled, unlabeled, null, IGNORE), null, IGNORE, 1,
                        iteration, 100000);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = method.step(ctx).total();
                    collector.backward(loss);
                }
                sgd.step(0.01);
                setup.moveEmaCopies(iteration, 100000);
                method.afterUpdate(ctx);
            }
            return (System.nanoTime() - start) / 1e6;
        }

        /**
         * Milliseconds of the bank pass alone: the EMA teacher's training-mode forward over the labeled images (N, 3,
         * H, W), as {@code MemoryBankMethod} runs it before the bank update (Teachers.forward).
         */
        double bankPass(HostBatch labeled) {
            SegmentationNet teacher = setup.modules().stream().filter(m -> m.name().equals("teacher"))
                    .map(m -> (SegmentationNet) m.block()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("memory-bank declared no teacher module"));
            try (NDManager step = manager.newSubManager()) {
                NDArray images = step.create(labeled.images(),
                        new Shape(labeled.size(), 3, labeled.height(), labeled.width()));
                long start = System.nanoTime();
                try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                     NDList out = org.semiseg.method.parts.Teachers.forward(teacher, ps, images)) {
                    out.get(0).getFloat(0, 0, 0, 0); // waits for the pass (the CPU runs it synchronously anyway)
                }
                return (System.nanoTime() - start) / 1e6;
            }
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** The memory-bank method's {@code bank} block of the config. */
    static org.semiseg.method.MemoryBankMethod.Bank bankSettings(org.semiseg.config.Config config) {
        return org.semiseg.config.ConfigLoader.readBlock(config.method().block("memory-bank"),
                org.semiseg.method.MemoryBankMethod.Settings.class, "memory-bank").bank();
    }
}
