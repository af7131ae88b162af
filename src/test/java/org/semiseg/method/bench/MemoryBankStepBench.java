package org.semiseg.method.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
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
import org.semiseg.method.StepResult;
import org.semiseg.model.SegmentationNet;
import org.semiseg.train.Networks;
import org.semiseg.train.PolyLr;
import org.semiseg.train.Sgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One whole {@code memory-bank} training step timed on the CPU: the twin of {@code bench/mbstep/torch_mb_step.py}
 * (issue 6). The step is the trainer's: the batch arrays made from the host batch, the method's step inside a
 * gradient collector (teacher pass over the unlabeled images for the pseudo-labels, student passes over the
 * labeled and the unlabeled views, ClassMix, class balancing, L_sup, L_pseudo, L_ent, teacher pass over the labeled
 * images for the bank update, heads and selectors, Eq. 8-11), backward, one host read of every loss term (the
 * trainer's finiteness check reads them too), SGD over the student and the heads with the trainer's two groups
 * (backbone at lr, everything else at lr x train.head_lr_multiplier) and its poly rate, EMA update of the teacher
 * network and of the teacher heads.
 *
 * <p>The Feature Quality Filter is off (method.memory-bank.bank.quality_filter=false) so that the bank fills during the warm-up
 * steps (an untrained teacher is never right with confidence 0.95), and the iteration counter starts at the end of the
 * method's warm-up, so that L_pseudo and L_contr are in force in every step. Batches are fixed and synthetic (made
 * before timing): Gaussian images, CamVid-like label bands with object columns, unlabeled padding masks with an
 * ignored 8-pixel border, strong views = weak view + N(0, 0.1) noise.
 *
 * <p>Arguments (key=value, all optional): classes (11), batch (8), height (176), width (240), arch
 * (deeplabv3plus), backbone (resnet18), os (8), width_mult (0.25), dim (null: 256 x width), bank (256),
 * labeled_images (46, sets K = max(1, bank / labeled_images)), views (2), warmup (8), steps (10), seed (1), lr (0.01;
 * the authors' 2e-4), prefill (false: the bank fills from empty; true: ψ unit vectors per class from the first step),
 * checksum (false: true prints a fingerprint of the weights after each step, outside the timing), dump
 * (a folder: writes the initial weights and the batches there for torch_mb_step.py load=FOLDER), and
 * set:KEY=VALUE for any other config override (applied last; e.g. set:method.memory-bank.bank.quality_filter=true, which the
 * PyTorch twin does not have).
 * Defaults are configs/camvid.yaml's network and crop. Prints one line per step and "RESULT djl median_ms=...
 * params=...".
 */
public final class MemoryBankStepBench {
    private static final int IGNORE = 255;

    private MemoryBankStepBench() {
    }

    public static void main(String[] args) {
        Map<String, String> a = org.semiseg.bench.BenchArgs.parse(args);
        int classes = Integer.parseInt(a.getOrDefault("classes", "11"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "8"));
        int h = Integer.parseInt(a.getOrDefault("height", "176"));
        int w = Integer.parseInt(a.getOrDefault("width", "240"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "8"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "10"));
        int labeledImages = Integer.parseInt(a.getOrDefault("labeled_images", "46"));
        long seed = Long.parseLong(a.getOrDefault("seed", "1"));
        boolean checksum = Boolean.parseBoolean(a.getOrDefault("checksum", "false"));
        List<String> overrides = new ArrayList<>(List.of("seed=" + seed, "method.name=memory-bank",
                "method.memory-bank.bank.quality_filter=false", "method.memory-bank.bank.size=" + a.getOrDefault("bank", "256"),
                "method.unlabeled_views=" + a.getOrDefault("views", "2"),
                "model.arch=" + a.getOrDefault("arch", "deeplabv3plus"),
                "model.backbone=" + a.getOrDefault("backbone", "resnet18"),
                "model.output_stride=" + a.getOrDefault("os", "8"), "model.width=" + a.getOrDefault("width_mult", "0.25"),
                "train.batch_size=" + batch, "train.iterations=100000", "train.class_balancing=true",
                "train.lr=" + a.getOrDefault("lr", "0.01")));
        if (a.containsKey("dim")) {
            overrides.add("method.memory-bank.bank.dim=" + a.get("dim"));
        }
        a.forEach((k, v) -> {
            if (k.startsWith("set:")) { // any config override, e.g. set:method.memory-bank.bank.quality_filter=true
                overrides.add(k.substring(4) + "=" + v);
            }
        });
        Config config = ConfigLoader.load(null, overrides);
        int iterations = config.train().iterations();
        // past the warm-up: lambda_pseudo and lambda_contr are in force from the first step
        int first = config.method().warmupFor(iterations);
        PolyLr schedule = new PolyLr(config.train().lr(), iterations, config.train().polyPower());

        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            SegmentationNet student = org.semiseg.model.Models.build(Networks.spec(config.model(), classes));
            student.initialize(manager, DataType.FLOAT32, new Shape(1, 3, h, w));
            Method method = Methods.create(config);
            List<String> names = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                names.add("class" + c);
            }
            long[] counts = new long[classes];
            Arrays.fill(counts, 1);
            MethodSetup setup = new MethodSetup(config, student, manager, names, labeledImages, counts);
            method.initialize(setup);
            if (Boolean.parseBoolean(a.getOrDefault("prefill", "false"))) {
                prefill(method, manager, classes, bankSettings(config).size(), seed);
            }

            // the trainer's optimizer: backbone at lr, ASPP/decoder/classifier and the method's heads at lr x 10
            Map<Boolean, Map<String, Parameter>> groups = Networks.trainableByGroup(student);
            Map<String, NDArray> backbone = arrays(groups.get(true));
            Map<String, NDArray> heads = arrays(groups.get(false));
            long studentParams = count(backbone) + count(heads);
            Map<String, NDArray> methodParams = new java.util.LinkedHashMap<>();
            for (org.semiseg.method.Module m : setup.modules()) {
                if (m.trained()) {
                    org.semiseg.model.ParameterNames.of(m.block()).forEach((name, p) -> {
                        if (p.requiresGradient()) {
                            methodParams.put(m.name() + "." + name, p.getArray());
                        }
                    });
                }
            }
            long headParams = count(methodParams);
            heads.putAll(methodParams);
            Sgd sgd = new Sgd(List.of(new Sgd.Group(backbone, 1.0),
                    new Sgd.Group(heads, config.train().headLrMultiplier())),
                    config.train().momentum(), config.train().weightDecay(), manager);
            sgd.allocateGradients(); // as TrainSetup does (torch's side makes its zeroed gradients up front too)
            ParameterStore ps = new ParameterStore(manager, false);
            int views = config.method().unlabeledViews();
            Integer dimSetting = bankSettings(config).dim();
            int dim = dimSetting != null ? dimSetting : student.spec().scaled(256);
            System.out.printf("djl: %s threads=%s; batch %d labeled + %d unlabeled x %d views, %dx%d, %d classes, "
                            + "head width %d, bank %d per class (K=%d per image), quality filter %s, iterations from %d "
                            + "(warm-up of the method %d), class balancing on%n",
                    Networks.describe(student.spec()), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                    batch, batch, views, h, w, classes, dim, bankSettings(config).size(),
                    Math.max(1, bankSettings(config).size() / labeledImages),
                    bankSettings(config).qualityFilter() ? "ON (phi " + bankSettings(config).confidence() + ")" : "off",
                    first, first);
            System.out.printf("djl trainable parameters: student %d + heads and selectors %d = %d%n", studentParams,
                    headParams, studentParams + headParams);

            HostBatch labeled = labeledBatch(new SplittableRandom(seed), batch, h, w, classes);
            HostBatch unlabeled = unlabeledBatch(new SplittableRandom(seed + 1), batch, h, w, views);

            if (a.containsKey("dump")) {
                // the initial weights and the batches, for torch_mb_step.py load=DIR (a check that both sides compute
                // the same terms from the same start; with ClassMix off on both sides)
                java.nio.file.Path dir = java.nio.file.Path.of(a.get("dump"));
                Map<String, NDArray> all = new LinkedHashMap<>();
                org.semiseg.model.ParameterNames.of(student).forEach((name, p) -> all.put("net." + name, p.getArray()));
                for (NDArray x : method.state()) {
                    if (x.getName().startsWith("heads.")) {
                        all.put(x.getName(), x);
                    }
                }
                dump(dir, all, labeled, unlabeled);
                System.out.println("dumped " + all.size() + " arrays and the batches to " + dir);
            }

            // the JVM's direct (off-heap) buffers: DJL copies host arrays through them, and they are freed only when
            // the collector finds their owners dead (a candidate for the end-of-step growth at 256x256)
            java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                    .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                    .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
            List<Double> times = new ArrayList<>();
            long[] phases = new long[6];
            for (int i = 0; i < warmup + steps; i++) {
                int it = first + i;
                Map<String, Float> terms = new LinkedHashMap<>();
                Map<String, Double> values = new LinkedHashMap<>();
                step(student, method, setup, ps, sgd, manager, labeled, unlabeled, it, iterations, schedule.at(it), seed,
                        phases, terms, values);
                double ms = (phases[5] - phases[0]) / 1e6;
                if (i >= warmup) {
                    times.add(ms);
                }
                int fill = 0;
                for (Map.Entry<String, Double> v : values.entrySet()) {
                    if (v.getKey().startsWith("bank_fill_")) {
                        fill += v.getValue().intValue();
                    }
                }
                StringBuilder line = new StringBuilder();
                terms.forEach((k, v) -> line.append(' ').append(k).append('=').append(String.format("%.7g", v)));
                System.out.printf("djl step %d%s %.1f ms (upload %.0f, forward+losses+bank %.0f, backward %.0f, "
                                + "read %.0f, sgd %.0f, ema %.0f) bank %d%s%n", i, i < warmup ? " (warm-up)" : "", ms,
                        (phases[1] - phases[0]) / 1e6, (phases[2] - phases[1]) / 1e6, (phases[3] - phases[2]) / 1e6,
                        (phases[4] - phases[3]) / 1e6, (phases[5] - phases[4]) / 1e6 - emaMs, emaMs, fill, line);
                Runtime rt = Runtime.getRuntime();
                System.out.printf("djl memory step %d: resident MiB after forward %d, after backward %d, at the end %d;"
                                + " peak %d (anonymous %d, files %d); java heap committed %d, used %d; direct buffers %d"
                                + " MiB in %d%n", i, memory[0],
                        memory[1], memory[2], residentMib("VmHWM"), residentMib("RssAnon"), residentMib("RssFile"),
                        rt.totalMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20, direct.getMemoryUsed() >> 20,
                        direct.getCount());
                if (checksum) {
                    // outside the timed step: a fingerprint of the weights, to compare code versions
                    double sum = 0;
                    double squares = 0;
                    for (NDArray x : heads.values()) {
                        for (float v : x.toFloatArray()) {
                            sum += v;
                            squares += (double) v * v;
                        }
                    }
                    for (NDArray x : backbone.values()) {
                        for (float v : x.toFloatArray()) {
                            sum += v;
                            squares += (double) v * v;
                        }
                    }
                    System.out.printf("djl weights after step %d: sum %.9e sum of squares %.9e%n", i, sum, squares);
                }
                if (i == warmup + steps - 1) {
                    System.out.println("TERMS djl" + line + " confident_share="
                            + String.format("%.4f", values.getOrDefault("confident_share", Double.NaN))
                            + " bank_fill=" + fill);
                }
            }
            double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = sorted.length;
            double median = n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            System.out.printf("RESULT djl median_ms=%.1f params=%d%n", median, studentParams + headParams);
        }
    }

    /** Resident MiB of the last step after forward + losses + bank, after backward, and after the step's arrays closed. */
    private static final long[] memory = new long[3];

    /** A size line of /proc/self/status (VmRSS, VmHWM) in MiB; -1 where there is none (not Linux). */
    private static long residentMib(String key) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Milliseconds of the last step's EMA update (measured inside {@link #step}). */
    private static double emaMs;

    private static void step(SegmentationNet student, Method method, MethodSetup setup, ParameterStore ps, Sgd sgd,
                             NDManager manager,
                             HostBatch labeled, HostBatch unlabeled, int it, int iterations, double lr, long seed,
                             long[] phases, Map<String, Float> terms, Map<String, Double> values) {
        phases[0] = System.nanoTime();
        long emaStart;
        try (NDManager step = manager.newSubManager()) {
            // as the trainer: the step's arrays are made from the host batches
            Shape img = new Shape(labeled.size(), 3, labeled.height(), labeled.width());
            List<NDArray> strong = new ArrayList<>();
            for (float[] v : unlabeled.strongViews()) {
                strong.add(step.create(v, img));
            }
            Step ctx = new Step(student, ps, step, StepBatches.of(step, labeled, unlabeled, null, IGNORE), null, IGNORE, seed,
                    it, iterations);
            phases[1] = System.nanoTime();
            StepResult result;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                result = method.step(ctx);
                NDArray total = result.total();
                phases[2] = System.nanoTime();
                memory[0] = residentMib("VmRSS"); // outside the timed phases' work, inside their clock (~0.1 ms)
                collector.backward(total);
            }
            phases[3] = System.nanoTime();
            memory[1] = residentMib("VmRSS");
            // one host read of every term, as the trainer's check for non-finite losses does each step
            NDList flat = new NDList();
            for (NDArray t : result.losses().values()) {
                flat.add(t.reshape(1));
            }
            float[] read = NDArrays.concat(flat).toFloatArray();
            int k = 0;
            for (String name : result.losses().keySet()) {
                terms.put(name, read[k++]);
            }
            phases[4] = System.nanoTime();
            sgd.step(lr);
            emaStart = System.nanoTime();
            setup.moveEmaCopies(it, iterations);
            method.afterUpdate(ctx);
            values.putAll(result.values());
        }
        phases[5] = System.nanoTime();
        emaMs = (phases[5] - emaStart) / 1e6;
        memory[2] = residentMib("VmRSS");
    }

    /** Raw little-endian arrays NAME.f32 / NAME.i32 and an index.txt of "name type shape" lines. */
    private static void dump(java.nio.file.Path dir, Map<String, NDArray> arrays, HostBatch labeled,
                             HostBatch unlabeled) {
        try {
            java.nio.file.Files.createDirectories(dir);
            StringBuilder index = new StringBuilder();
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                writeFloats(dir, e.getKey(), e.getValue().toFloatArray(), e.getValue().getShape(), index);
            }
            int n = labeled.size();
            Shape img = new Shape(n, 3, labeled.height(), labeled.width());
            Shape map = new Shape(n, labeled.height(), labeled.width());
            writeFloats(dir, "batch.labeled_images", labeled.images(), img, index);
            writeInts(dir, "batch.labeled_masks", labeled.masks(), map, index);
            writeFloats(dir, "batch.unlabeled_images", unlabeled.images(), img, index);
            for (int v = 0; v < unlabeled.strongViews().length; v++) {
                writeFloats(dir, "batch.strong" + v, unlabeled.strongViews()[v], img, index);
            }
            writeInts(dir, "batch.padding", unlabeled.masks(), map, index);
            java.nio.file.Files.writeString(dir.resolve("index.txt"), index);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeFloats(java.nio.file.Path dir, String name, float[] v, Shape shape, StringBuilder index)
            throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        java.nio.file.Files.write(dir.resolve(name + ".f32"), b.array());
        index.append(name).append(" f32 ").append(shapeText(shape)).append('\n');
    }

    private static void writeInts(java.nio.file.Path dir, String name, int[] v, Shape shape, StringBuilder index)
            throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        java.nio.file.Files.write(dir.resolve(name + ".i32"), b.array());
        index.append(name).append(" i32 ").append(shapeText(shape)).append('\n');
    }

    private static String shapeText(Shape shape) {
        StringBuilder out = new StringBuilder();
        for (long d : shape.getShape()) {
            out.append(out.length() == 0 ? "" : ",").append(d);
        }
        return out.length() == 0 ? "scalar" : out.toString();
    }

    private static Map<String, NDArray> arrays(Map<String, Parameter> parameters) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        parameters.forEach((name, p) -> {
            if (p.requiresGradient()) {
                out.put(name, p.getArray());
            }
        });
        return out;
    }

    private static long count(Map<String, NDArray> arrays) {
        return arrays.values().stream().mapToLong(x -> x.getShape().size()).sum();
    }

    /**
     * Gaussian images; labels in horizontal bands (classes 0 .. C-4 from top to bottom) with object columns of the
     * last three classes (24 pixels wide every 144, below the top third), shifted by 37 x image index. The same
     * formula is in torch_mb_step.py.
     */
    static HostBatch labeledBatch(SplittableRandom rng, int n, int h, int w, int classes) {
        float[] images = gaussian(rng, n * 3 * h * w);
        int[] masks = new int[n * h * w];
        for (int b = 0; b < n; b++) {
            int shift = (37 * b) % w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int band = y * Math.max(1, classes - 3) / h;
                    int column = (x + shift) / 24;
                    int object = classes > 3 && column % 6 == 0 ? classes - 3 + (column / 6) % 3 : -1;
                    masks[(b * h + y) * w + x] = object >= 0 && y > h / 3 ? object : band;
                }
            }
        }
        return new HostBatch(images, null, masks, ids(n), n, h, w);
    }

    /** Gaussian weak view, strong views = weak + N(0, 0.1); padding mask: the last 8 columns are padding. */
    static HostBatch unlabeledBatch(SplittableRandom rng, int n, int h, int w, int views) {
        float[] images = gaussian(rng, n * 3 * h * w);
        float[][] strong = new float[views][];
        for (int v = 0; v < views; v++) {
            strong[v] = images.clone();
            for (int i = 0; i < images.length; i++) {
                strong[v][i] += (float) (0.1 * rng.nextGaussian());
            }
        }
        int[] padding = new int[n * h * w];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < h; y++) {
                for (int x = Math.max(0, w - 8); x < w; x++) {
                    padding[(b * h + y) * w + x] = IGNORE;
                }
            }
        }
        return new HostBatch(images, strong, padding, ids(n), n, h, w);
    }

    private static float[] gaussian(SplittableRandom rng, int size) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) rng.nextGaussian();
        }
        return out;
    }

    private static String[] ids(int n) {
        String[] ids = new String[n];
        Arrays.fill(ids, "synthetic");
        return ids;
    }

    /** The bank full (ψ per class) from the first step: unit vectors from a fixed generator, through loadState. */
    private static void prefill(Method method, NDManager manager, int classes, int size, long seed) {
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (NDArray x : method.state()) {
            state.put(x.getName(), x);
        }
        long dim = state.get(org.semiseg.method.contrast.MemoryBank.VECTORS).getShape().get(2);
        SplittableRandom random = new SplittableRandom(seed);
        float[] vectors = new float[(int) (classes * size * dim)];
        for (int v = 0; v < classes * size; v++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                float x = (float) random.nextGaussian();
                vectors[(int) (v * dim + d)] = x;
                norm += x * x;
            }
            for (int d = 0; d < dim; d++) {
                vectors[(int) (v * dim + d)] /= (float) Math.sqrt(norm);
            }
        }
        int[] fill = new int[classes];
        Arrays.fill(fill, size);
        state.put(org.semiseg.method.contrast.MemoryBank.VECTORS, manager.create(vectors, new Shape(classes, size, dim)));
        state.put(org.semiseg.method.contrast.MemoryBank.FILL, manager.create(fill));
        method.loadState(state);
    }

    /** The memory-bank method's {@code bank} block of the config. */
    static org.semiseg.method.MemoryBankMethod.Bank bankSettings(org.semiseg.config.Config config) {
        return org.semiseg.config.ConfigLoader.readBlock(config.method().block("memory-bank"),
                org.semiseg.method.MemoryBankMethod.Settings.class, "memory-bank").bank();
    }
}
