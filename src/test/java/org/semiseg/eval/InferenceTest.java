package org.semiseg.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InferenceTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Pointwise (1x1) linear map from 3 input channels to 4 logits: its output at a pixel depends on that pixel only. */
    private static NDArray pointwise(NDArray x) {
        Shape s = x.getShape();
        NDArray weights = x.getManager().create(new float[] {1, -2, 0.5f, 0, 1, 1, -1, 0.3f, 2, 0.7f, -0.4f, 0.2f},
                new Shape(4, 3));
        return weights.matMul(x.reshape(s.get(0), 3, s.get(2) * s.get(3))).reshape(s.get(0), 4, s.get(2), s.get(3));
    }

    private NDArray randomImage(int h, int w) {
        Random random = new Random(h * 31L + w);
        float[] v = new float[3 * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return manager.create(v, new Shape(1, 3, h, w));
    }

    private static void assertClose(NDArray expected, NDArray actual, double tol) {
        assertEquals(expected.getShape(), actual.getShape());
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol, "element " + i);
        }
    }

    @Test
    void slidingEqualsWholeForPointwiseFunction() {
        NDArray image = randomImage(8, 12);
        NDArray whole = Inference.probabilities(InferenceTest::pointwise, image, InferenceSpec.whole());
        assertEquals(new Shape(1, 4, 8, 12), whole.getShape());
        // exact tiling, overlapping windows with a border-aligned last window, and an image smaller than the crop
        assertClose(whole, Inference.probabilities(InferenceTest::pointwise, image, InferenceSpec.sliding(4, 6, 4, 6)), 1e-6);
        assertClose(whole, Inference.probabilities(InferenceTest::pointwise, image, InferenceSpec.sliding(5, 5, 2, 3)), 1e-6);
        assertClose(whole, Inference.probabilities(InferenceTest::pointwise, image, InferenceSpec.sliding(10, 16, 2, 3)), 1e-6);
    }

    @Test
    void windowStartsEndOnTheBorder() {
        assertArrayEquals(new int[] {0, 4}, Inference.windowStarts(8, 4, 4));
        assertArrayEquals(new int[] {0, 2}, Inference.windowStarts(6, 4, 3));
        assertArrayEquals(new int[] {0, 3, 6}, Inference.windowStarts(10, 4, 3));
        assertArrayEquals(new int[] {0}, Inference.windowStarts(4, 4, 1));
    }

    @Test
    void slidingDividesByWindowCount() {
        // Each window predicts p0 = (value of its top-left pixel, channel 0) everywhere, p1 = 1 - p0.
        LogitsFunction windowConstant = x -> {
            NDArray v = x.get(":, 0:1, 0:1, 0:1");
            NDArray p0 = x.get(":, 0:1").zerosLike().add(v);
            return NDArrays.concat(new NDList(p0.log(), p0.neg().add(1).log()), 1);
        };
        // width 7, crop 3, stride 2: windows start at 0, 2, 4; pixels 2 and 4 are covered twice.
        float[] row = {0.2f, 0.9f, 0.6f, 0.9f, 0.8f, 0.9f, 0.9f};
        float[] v = new float[3 * 7];
        System.arraycopy(row, 0, v, 0, 7);
        NDArray image = manager.create(v, new Shape(1, 3, 1, 7));
        NDArray probs = Inference.probabilities(windowConstant, image, InferenceSpec.sliding(1, 3, 1, 2));
        // p0 per column: 0.2, 0.2, (0.2+0.6)/2, 0.6, (0.6+0.8)/2, 0.8, 0.8
        float[] expected = {0.2f, 0.2f, 0.4f, 0.6f, 0.7f, 0.8f, 0.8f};
        assertArrayEquals(expected, probs.get(":, 0").toFloatArray(), 1e-6f);
    }

    @Test
    void flipAveragesMirroredPredictions() {
        // Position-only prediction p0 = (0.1, 0.2, 0.6) along the width, whatever the input.
        LogitsFunction ramp = x -> {
            NDArray p0 = x.getManager().create(new float[] {0.1f, 0.2f, 0.6f}, new Shape(1, 1, 1, 3));
            NDArray p = NDArrays.concat(new NDList(p0, p0.neg().add(1)), 1);
            return p.log().repeat(0, x.getShape().get(0));
        };
        NDArray image = randomImage(1, 3);
        NDArray noFlip = Inference.probabilities(ramp, image, InferenceSpec.whole());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.6f}, noFlip.get(":, 0").toFloatArray(), 1e-6f);
        NDArray flipped = Inference.probabilities(ramp, image, InferenceSpec.whole().withFlip(true));
        // flipped view sees (0.1, 0.2, 0.6), flipped back (0.6, 0.2, 0.1); mean (0.35, 0.2, 0.35)
        assertArrayEquals(new float[] {0.35f, 0.2f, 0.35f}, flipped.get(":, 0").toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.65f, 0.8f, 0.65f}, flipped.get(":, 1").toFloatArray(), 1e-6f);
    }

    @Test
    void multiScaleRunsEachScaleAndReturnsInputSize() {
        List<Shape> seen = new ArrayList<>();
        LogitsFunction recording = x -> {
            seen.add(x.getShape());
            return pointwise(x);
        };
        // A constant image makes every scale's prediction the same constant, so the average equals whole.
        NDArray image = manager.full(new Shape(1, 3, 8, 12), 0.3f);
        NDArray probs = Inference.probabilities(recording, image, InferenceSpec.whole().withScales(0.5, 1.0, 1.5).withFlip(true));
        assertEquals(new Shape(1, 4, 8, 12), probs.getShape());
        assertEquals(List.of(new Shape(1, 3, 4, 6), new Shape(1, 3, 4, 6), new Shape(1, 3, 8, 12), new Shape(1, 3, 8, 12),
                new Shape(1, 3, 12, 18), new Shape(1, 3, 12, 18)), seen);
        assertClose(Inference.probabilities(InferenceTest::pointwise, image, InferenceSpec.whole()), probs, 1e-6);
    }

    @Test
    void centerCropEvaluatesTheCentralBox() {
        InferenceSpec spec = InferenceSpec.centerCrop(4, 6);
        assertEquals(new InferenceSpec.CropBox(3, 3, 4, 6), spec.evaluatedBox(10, 12));
        assertEquals(new InferenceSpec.CropBox(0, 1, 3, 6), spec.evaluatedBox(3, 9));
        assertEquals(new InferenceSpec.CropBox(0, 0, 10, 12), InferenceSpec.whole().evaluatedBox(10, 12));
        NDArray image = randomImage(10, 12);
        NDArray whole = Inference.probabilities(InferenceTest::pointwise, image, InferenceSpec.whole());
        NDArray crop = Inference.probabilities(InferenceTest::pointwise, image, spec);
        assertClose(whole.get(":, :, 3:7, 3:9"), crop, 1e-6);
    }

    @Test
    void resizeIsBilinearWithoutAlignedCorners() {
        NDArray x = manager.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
        NDArray up = Inference.resize(x, 4, 4);
        assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1}, up.get("0, 0, 0").toFloatArray(), 1e-6f);
    }

    @Test
    void closesIntermediates() {
        NDArray image = randomImage(6, 7);
        int before = manager.getManagedArrays().size();
        NDArray probs = Inference.probabilities(InferenceTest::pointwise, image,
                InferenceSpec.sliding(4, 4, 2, 2).withFlip(true).withScales(0.75, 1.0));
        assertEquals(before + 1, manager.getManagedArrays().size());
        assertTrue(manager.getManagedArrays().contains(image));
        probs.close();
    }

    @Test
    void specValidationNamesTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InferenceSpec.sliding(4, 4, 5, 2))
                .getMessage().contains("stride"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InferenceSpec.sliding(4, 4, 0, 2))
                .getMessage().contains("stride"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InferenceSpec.centerCrop(0, 4))
                .getMessage().contains("crop"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InferenceSpec.whole().withScales())
                .getMessage().contains("scales"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InferenceSpec.whole().withScales(1.0, -0.5))
                .getMessage().contains("scales"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new InferenceSpec(null, 0, 0, 0, 0, false, new double[] {1})).getMessage().contains("mode"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InferenceSpec.Mode.parse("tiles"))
                .getMessage().contains("mode"));
        assertEquals(InferenceSpec.Mode.CENTER_CROP, InferenceSpec.Mode.parse("center_crop"));
        assertEquals(InferenceSpec.sliding(4, 4, 2, 2).withFlip(true), InferenceSpec.sliding(4, 4, 2, 2).withFlip(true));
    }
}
