package org.semiseg.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.semiseg.data.Palette;
import org.semiseg.data.Sample;
import org.semiseg.eval.ConfusionMatrix;
import org.semiseg.eval.EvalResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Run and grid directories built in code, without training. */
public final class ReportFixtures {
    public static final List<String> CLASSES = List.of("background", "disc", "box", "triangle", "ring", "cross");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportFixtures() {
    }

    /**
     * A run of 200 iterations of the memory-bank method: losses every 10 iterations (pseudo and contrastive terms
     * after a warm-up of 50), one skipped step, evaluations every 50 with per-class IoU, and the latest snapshot
     * with 4 examples.
     */
    public static Path fakeRun(Path dir, List<String> classes) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.yaml"), """
                seed: 3
                data:
                  dataset: demo
                  labeled: 1/8
                  resize: null
                model: {arch: deeplabv3plus, backbone: resnet18, width: 0.25}
                method: {name: memory-bank}
                augment: {labeled: weak, unlabeled: strong, crop: null}
                train: {iterations: 200, batch_size: 8, lr: 0.01, class_balancing: true}
                """);
        StringBuilder metrics = new StringBuilder();
        for (int it = 10; it <= 200; it += 10) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("iter", it);
            line.put("lr", 0.01 * Math.pow(1 - it / 200.0, 0.9));
            double sup = 2.0 * Math.exp(-it / 80.0) + 0.2;
            line.put("loss", sup + (it > 50 ? 0.3 : 0));
            line.put("loss_sup", sup);
            if (it > 50) {
                line.put("loss_pseudo", 0.25 * Math.exp(-it / 150.0));
                line.put("loss_contr_labeled", 0.04 + 0.01 * Math.sin(it));
            }
            line.put("loss_ent", 0.012);
            line.put("data_ms", 1.5);
            line.put("compute_ms", 400.0);
            line.put("other_ms", 3.0);
            line.put("images_per_s", 19.5);
            metrics.append(JSON.writeValueAsString(line)).append('\n');
            if (it == 120) {
                metrics.append("{\"iter\":121,\"skipped\":\"loss_pseudo is NaN\"}\n");
            }
            if (it % 50 == 0) {
                Map<String, Object> iou = new LinkedHashMap<>();
                for (int c = 0; c < classes.size(); c++) {
                    iou.put(classes.get(c), c == classes.size() - 1 && it == 50 ? null : 0.1 + 0.7 * it / 200.0 * (c + 1) / classes.size());
                }
                Map<String, Object> eval = new LinkedHashMap<>();
                eval.put("split", "val");
                eval.put("images", 4);
                eval.put("mIoU", it == 200 ? 0.38 : 0.1 + it / 400.0);
                eval.put("iou", iou);
                metrics.append(JSON.writeValueAsString(Map.of("iter", it, "eval", eval))).append('\n');
            }
        }
        Files.writeString(dir.resolve("metrics.jsonl"), metrics);
        EvalSnapshot.save(dir, 200, result(classes), Palette.forClasses(classes.size()), examples(classes.size()));
        return dir;
    }

    /** A result whose confusion matrix is mostly diagonal. */
    static EvalResult result(List<String> classes) {
        int n = classes.size();
        long[][] counts = new long[n][n];
        for (int l = 0; l < n; l++) {
            for (int p = 0; p < n; p++) {
                counts[l][p] = l == p ? 800 + 100L * l : 30 + 7L * ((l + 2 * p) % 5);
            }
        }
        return EvalResult.of(ConfusionMatrix.of(counts), classes, 4, "val", 0.5);
    }

    /** Four 32x32 images: a coloured background with a square of each class. */
    static List<EvalSnapshot.Predicted> examples(int classes) {
        Random random = new Random(5);
        List<EvalSnapshot.Predicted> out = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            int h = 32;
            int w = 32;
            float[] image = new float[3 * h * w];
            int[] mask = new int[h * w];
            int[] pred = new int[h * w];
            for (int i = 0; i < h * w; i++) {
                int y = i / w;
                int x = i % w;
                int c = (y / 8 + x / 8 + k) % classes;
                mask[i] = c;
                pred[i] = random.nextInt(10) == 0 ? (c + 1) % classes : c;
                for (int ch = 0; ch < 3; ch++) {
                    image[ch * h * w + i] = 0.2f + 0.6f * ((c + ch) % 3) / 2f + 0.1f * random.nextFloat();
                }
            }
            out.add(new EvalSnapshot.Predicted(new Sample("val-" + k, image, mask, h, w), pred));
        }
        return out;
    }

    /**
     * A results.json of 2 methods x 2 ratios x 3 seeds on CamVid's 11 classes, one run unfinished, with memory-bank's
     * paired gains (intervals, p-values, the gap) and one compared pair.
     */
    public static Path fakeGrid(Path dir) throws IOException {
        List<String> classes = List.of("sky", "building", "pole", "road", "pavement", "tree", "sign symbol", "fence",
                "car", "pedestrian", "bicyclist");
        Files.createDirectories(dir);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", "camvid");
        root.put("dataset", "camvid");
        root.put("grid", "bench/grids/camvid.yaml");
        root.put("command", "./semiseg bench bench/grids/camvid.yaml");
        root.put("commit", "abc123");
        root.put("date", "2026-11-21T12:00:00Z");
        root.put("test_split", "test");
        root.put("classes", classes);
        root.put("scale", Map.of("resolution", "180x240", "crop", List.of(88, 120), "backbone", "resnet18",
                "width", 0.25, "arch", "deeplabv3plus", "iterations", 2000, "batch_size", 8));
        List<Map<String, Object>> runs = new ArrayList<>();
        List<Map<String, Object>> summary = new ArrayList<>();
        String[] methods = {"supervised", "memory-bank"};
        String[] ratios = {"1/8", "1/4"};
        for (int m = 0; m < methods.length; m++) {
            for (int r = 0; r < ratios.length; r++) {
                double base = 0.30 + 0.04 * m + 0.05 * r;
                int finished = 0;
                for (int seed = 1; seed <= 3; seed++) {
                    boolean done = !(m == 1 && r == 1 && seed == 3);
                    Map<String, Object> run = new LinkedHashMap<>();
                    String name = methods[m] + "-" + ratios[r].replace('/', '_') + "-s" + seed;
                    run.put("name", name);
                    run.put("dir", name);
                    run.put("method", methods[m]);
                    run.put("ratio", ratios[r]);
                    run.put("seed", seed);
                    run.put("status", done ? "finished" : "running");
                    run.put("labeled_images", r == 0 ? 46 : 92);
                    run.put("iterations", 2000);
                    run.put("done_iterations", done ? 2000 : 1250);
                    run.put("best_iter", done ? 1500 : null);
                    run.put("val_miou", done ? base + 0.02 : null);
                    run.put("test_miou", done ? base + 0.005 * seed : null);
                    List<Double> iou = new ArrayList<>();
                    for (int c = 0; c < classes.size(); c++) {
                        iou.add(Math.min(0.95, base + 0.05 * ((c * 7) % 9) - 0.15));
                    }
                    run.put("test_class_iou", done ? iou : null);
                    run.put("wall_s", done ? 900.0 + 400 * m + 60 * seed : null);
                    run.put("data_ms", 1.2);
                    run.put("compute_ms", 450.0 + 300 * m);
                    run.put("extra_ms", m == 1 ? 250.0 : 0.0);
                    runs.add(run);
                    finished += done ? 1 : 0;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("method", methods[m]);
                row.put("ratio", ratios[r]);
                row.put("seeds", List.of(1, 2, 3));
                row.put("finished", finished);
                row.put("test_miou_mean", base + 0.01);
                row.put("test_miou_std", 0.004 + 0.003 * m);
                row.put("val_miou_mean", base + 0.02);
                List<Double> iou = new ArrayList<>();
                for (int c = 0; c < classes.size(); c++) {
                    iou.add(c == 7 && m == 0 ? null : Math.min(0.95, base + 0.05 * ((c * 7) % 9) - 0.15));
                }
                row.put("class_iou_mean", iou);
                // memory-bank's paired gain over supervised: 3 pairs at 1/8, 2 at 1/4 (its third run unfinished)
                row.put("gain_mean", m == 0 ? null : 0.04);
                row.put("gain_std", m == 0 ? null : 0.01);
                row.put("gain_seeds", m == 0 ? null : 3 - r);
                row.put("gain_ci_low", m == 0 ? null : r == 0 ? -0.01 : -0.2);
                row.put("gain_ci_high", m == 0 ? null : r == 0 ? 0.09 : 0.28);
                row.put("gain_p", m == 0 ? null : r == 0 ? 0.08 : 0.3);
                row.put("gap", m == 0 ? null : r == 0 ? 0.06 : 0.05);
                row.put("gap_share", m == 0 ? null : 0.45);
                row.put("wall_s_mean", 960.0 + 400 * m);
                row.put("data_ms", 1.2);
                row.put("compute_ms", 450.0 + 300 * m);
                row.put("extra_ms", m == 1 ? 250.0 : 0.0);
                summary.add(row);
            }
        }
        root.put("runs", runs);
        root.put("summary", summary);
        root.put("statistics", "Paired by split: (the rule of org.semiseg.bench.PairedStats)");
        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("a", "memory-bank");
        pair.put("b", "supervised");
        pair.put("ratio", "1/8");
        pair.put("seeds", List.of(1, 2, 3));
        pair.put("differences", List.of(0.03, 0.05, 0.04));
        pair.put("pairs", 3);
        pair.put("diff_mean", 0.04);
        pair.put("diff_std", 0.01);
        pair.put("ci_low", 0.0152);
        pair.put("ci_high", 0.0648);
        pair.put("p", 0.0198);
        root.put("comparisons", List.of(pair));
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("results.json").toFile(), root);
        return dir;
    }
}
