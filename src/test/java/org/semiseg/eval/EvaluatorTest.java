package org.semiseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.data.Sample;
import org.semiseg.data.SegDataset;

class EvaluatorTest {
    private static final int IGNORE = 255;
    private static final List<String> CLASSES = List.of("background", "cat", "dog");

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private record ListDataset(List<Sample> samples) implements SegDataset {
        public int size() {
            return samples.size();
        }

        public Sample get(int index) {
            return samples.get(index);
        }

        public List<String> classNames() {
            return CLASSES;
        }

        public int ignoreIndex() {
            return IGNORE;
        }
    }

    /** An image whose red channel is class/2, so the fake network below predicts {@code classes}. */
    private static Sample sample(String id, int h, int w, int[] classes, int[] mask) {
        float[] image = new float[3 * h * w];
        for (int i = 0; i < h * w; i++) {
            image[i] = classes[i] / 2f;
            image[h * w + i] = 0.5f;
            image[2 * h * w + i] = 0.5f;
        }
        return new Sample(id, image, mask, h, w);
    }

    /** Undoes the red normalisation and scores class c by -(red - c/2)^2: argmax is the encoded class. */
    private static NDArray nearestClass(NDArray x) {
        NDArray red = x.get(":, 0:1").mul(ImageTensors.STD[0]).add(ImageTensors.MEAN[0]);
        NDList scores = new NDList();
        for (int c = 0; c < 3; c++) {
            scores.add(red.sub(c / 2f).square().neg().mul(100));
        }
        return NDArrays.concat(scores, 1);
    }

    // A (2x2): pred 0 1 1 2, label 0 1 2 255 -> (0,0) (1,1) (2,1)
    // B (2x2): pred 0 0 1 1, label 0 0 1 0   -> (0,0) (0,0) (1,1) (0,1)
    // C (1x3): pred 2 2 0,   label 2 2 0     -> (2,2) (2,2) (0,0)
    // D (2x2): unlabelled, skipped
    // counts: (0,0)=4 (0,1)=1 (1,1)=2 (2,1)=1 (2,2)=2; total 10, correct 8
    // IoU background = 4/(5+4-4) = 0.8; cat = 2/(2+4-2) = 0.5; dog = 2/(3+2-2) = 2/3
    private static SegDataset dataset() {
        return new ListDataset(List.of(
                sample("a", 2, 2, new int[] {0, 1, 1, 2}, new int[] {0, 1, 2, IGNORE}),
                sample("b", 2, 2, new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 0}),
                sample("c", 1, 3, new int[] {2, 2, 0}, new int[] {2, 2, 0}),
                sample("d", 2, 2, new int[] {0, 0, 0, 0}, null)));
    }

    @Test
    void evaluatesKnownPredictionsExactly() {
        List<Long> batchSizes = new ArrayList<>();
        LogitsFunction f = x -> {
            batchSizes.add(x.getShape().get(0));
            return nearestClass(x);
        };
        int before = manager.getManagedArrays().size();
        EvalResult r = Evaluator.evaluate(f, dataset(), InferenceSpec.whole(), manager, 4, "val");
        assertEquals(before, manager.getManagedArrays().size(), "evaluate leaked arrays");
        assertEquals(List.of(2L, 1L), batchSizes, "a and b share a batch; c has another size");
        assertEquals(3, r.numImages());
        assertEquals("val", r.split());
        assertEquals(10, r.confusionMatrix().total());
        assertEquals(4, r.confusionMatrix().get(0, 0));
        assertEquals(0.8, r.iou()[0], 1e-12);
        assertEquals(0.5, r.iou()[1], 1e-12);
        assertEquals(2.0 / 3, r.iou()[2], 1e-12);
        assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, r.meanIou(), 1e-12);
        assertEquals(0.8, r.pixelAccuracy(), 1e-12);
    }

    /** A NaN output (the machine's transient fault) is computed again, not counted as class 0. */
    @Test
    void aNonFiniteBatchIsComputedAgain() {
        int[] calls = {0};
        LogitsFunction faultyOnce = x -> {
            NDArray logits = nearestClass(x);
            return calls[0]++ == 0 ? logits.mul(Float.NaN) : logits;
        };
        EvalResult r = Evaluator.evaluate(faultyOnce, dataset(), InferenceSpec.whole(), manager, 4, "val");
        EvalResult clean = Evaluator.evaluate(EvaluatorTest::nearestClass, dataset(), InferenceSpec.whole(), manager, 4, "val");
        assertEquals(3, calls[0], "the first batch twice, the second once");
        assertEquals(clean.confusionMatrix(), r.confusionMatrix());
        assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, r.meanIou(), 1e-12);

        LogitsFunction alwaysNaN = x -> nearestClass(x).mul(Float.NaN);
        org.semiseg.SemisegException e = assertThrows(org.semiseg.SemisegException.class,
                () -> Evaluator.evaluate(alwaysNaN, dataset(), InferenceSpec.whole(), manager, 4, "val"));
        assertTrue(e.getMessage().contains("for a and 1 more images is not finite, 9 times in a row"), e.getMessage());
    }

    @Test
    void otherModesAgreeForAPointwiseNetwork() {
        EvalResult whole = Evaluator.evaluate(EvaluatorTest::nearestClass, dataset(), InferenceSpec.whole(), manager, 1);
        InferenceSpec sliding = InferenceSpec.sliding(2, 2, 1, 1).withFlip(true);
        EvalResult slid = Evaluator.evaluate(EvaluatorTest::nearestClass, dataset(), sliding, manager, 2);
        assertEquals(whole.confusionMatrix(), slid.confusionMatrix());
        // centre crop 1x1 of a 2x2 image is pixel (0,0); of the 1x3 image pixel (0,1)
        EvalResult crop = Evaluator.evaluate(EvaluatorTest::nearestClass, dataset(), InferenceSpec.centerCrop(1, 1), manager, 1);
        assertEquals(3, crop.confusionMatrix().total());
        assertEquals(2, crop.confusionMatrix().get(0, 0));
        assertEquals(1, crop.confusionMatrix().get(2, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Evaluator.evaluate(EvaluatorTest::nearestClass, dataset(), InferenceSpec.whole(), manager, 0));
    }

    @Test
    void tableListsClassesAndMarksAbsentOnes() {
        ConfusionMatrix cm = new ConfusionMatrix(4);
        cm.add(new int[] {0, 0, 1, 2}, new int[] {0, 1, 1, 2}, IGNORE);
        // IoU: background 1/2, cat 1/2, dog 1, bird absent -> mIoU 2/3, pixel accuracy 3/4
        EvalResult r = EvalResult.of(cm, List.of("background", "cat", "dog", "bird"), 1, "val", 0.5);
        String table = EvalReport.table(r);
        for (String line : List.of("background", "cat", "dog")) {
            assertTrue(table.contains(line), table);
        }
        assertTrue(table.lines().anyMatch(l -> l.startsWith("bird") && l.endsWith("n/a")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("dog") && l.endsWith("100.00")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("mIoU") && l.endsWith("66.67")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("pixel accuracy") && l.endsWith("75.00")), table);
    }

    @Test
    void jsonRoundTrip(@TempDir Path dir) throws IOException {
        EvalResult r = Evaluator.evaluate(EvaluatorTest::nearestClass, dataset(), InferenceSpec.whole(), manager, 2, "val");
        Path file = dir.resolve("run/eval.json");
        EvalReport.writeJson(file, r, Map.of("iteration", 100, "checkpoint", "ckpt-100"));
        EvalReport.writeJson(file, r, Map.of("iteration", 100, "checkpoint", "ckpt-100")); // replaces
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temp file left behind");
        }
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals("val", json.get("split").asText());
        assertEquals(3, json.get("images").asInt());
        assertEquals(0.5, json.get("iou").get("cat").asDouble(), 1e-12);
        assertEquals(r.meanIou(), json.get("mIoU").asDouble(), 1e-15);
        assertEquals(0.8, json.get("pixelAccuracy").asDouble(), 1e-12);
        assertEquals(100, json.get("iteration").asInt());
        assertEquals("ckpt-100", json.get("checkpoint").asText());
        long[][] counts = new ObjectMapper().treeToValue(json.get("confusionMatrix"), long[][].class);
        assertEquals(r.confusionMatrix(), ConfusionMatrix.of(counts));
        assertThrows(IllegalArgumentException.class, () -> EvalReport.writeJson(file, r, Map.of("mIoU", 1)));
    }

    @Test
    void summaryWritesNaNAsNull() {
        ConfusionMatrix cm = new ConfusionMatrix(2);
        cm.add(new int[] {0}, new int[] {0}, IGNORE);
        EvalResult r = EvalResult.of(cm, List.of("a", "b"), 1, "test", 0.1);
        Map<String, Object> summary = EvalReport.summary(r);
        assertEquals(1.0, summary.get("mIoU"));
        assertTrue(((Map<?, ?>) summary.get("iou")).containsKey("b"));
        assertEquals(null, ((Map<?, ?>) summary.get("iou")).get("b"));
        assertTrue(EvalReport.summaryJson(r).contains("\"b\":null"), EvalReport.summaryJson(r));
    }

    @Test
    void imageTensorsNormaliseAndStack() {
        Sample s = sample("x", 1, 2, new int[] {0, 2}, new int[] {0, 2});
        NDArray batch = ImageTensors.toBatch(manager, List.of(s, s));
        assertEquals(new Shape(2, 3, 1, 2), batch.getShape());
        assertEquals((1f - 0.485f) / 0.229f, batch.getFloat(1, 0, 0, 1), 1e-6);
        assertEquals((0.5f - 0.406f) / 0.225f, batch.getFloat(0, 2, 0, 0), 1e-6);
        NDArray masks = ImageTensors.masksToArray(manager, List.of(s));
        assertEquals(new Shape(1, 1, 2), masks.getShape());
        assertEquals(2L, masks.getLong(0, 0, 1));
        Sample other = sample("y", 2, 1, new int[] {0, 0}, null);
        assertThrows(IllegalArgumentException.class, () -> ImageTensors.toBatch(manager, List.of(s, other)));
        assertThrows(IllegalArgumentException.class, () -> ImageTensors.masksToArray(manager, List.of(other)));
    }
}
