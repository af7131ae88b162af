package org.semiseg.augment;

import org.junit.jupiter.api.Test;
import org.semiseg.data.Sample;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-computed pixels; the non-trivial ones agree with torchvision 0.14's functional adjust_*. */
class ColorJitterTest {
    /** One pixel (R, G, B) as a (3, 1, 1) image. */
    private static float[] pixel(float r, float g, float b) {
        return new float[] {r, g, b};
    }

    @Test
    void brightnessMultipliesAndClamps() {
        assertArrayEquals(pixel(0.6f, 0.24f, 1.0f), ColorJitter.adjustBrightness(pixel(0.5f, 0.2f, 0.9f), 1.2), 1e-6f);
        // Two pixels, factor 1.5 (torchvision: [[1.0, 0.3], [0.45, 0.9], [0.15, 1.0]]).
        float[] img = {0.8f, 0.2f, 0.3f, 0.6f, 0.1f, 0.9f};
        assertArrayEquals(new float[] {1.0f, 0.3f, 0.45f, 0.9f, 0.15f, 1.0f}, ColorJitter.adjustBrightness(img, 1.5), 1e-6f);
    }

    @Test
    void contrastBlendsWithMeanGray() {
        // Pixels (0.8, 0.3, 0.1) and (0.2, 0.6, 0.9): gray = 0.2989 R + 0.587 G + 0.114 B = 0.42662 and 0.51458,
        // mean 0.4706; result 0.5 x + 0.5 * 0.4706 (torchvision: the same).
        float[] img = {0.8f, 0.2f, 0.3f, 0.6f, 0.1f, 0.9f};
        assertArrayEquals(new float[] {0.6353f, 0.3353f, 0.3853f, 0.5353f, 0.2853f, 0.6853f},
                ColorJitter.adjustContrast(img, 0.5), 1e-4f);
        float[] flat = ColorJitter.adjustContrast(img, 0);
        for (float v : flat) {
            assertEquals(0.4706f, v, 1e-4f);
        }
    }

    @Test
    void saturationZeroIsGrayscaleAndOneIsIdentity() {
        float[] img = pixel(0.8f, 0.3f, 0.1f);
        float gray = 0.2989f * 0.8f + 0.587f * 0.3f + 0.114f * 0.1f;
        assertArrayEquals(pixel(gray, gray, gray), ColorJitter.adjustSaturation(img, 0), 1e-6f);
        assertArrayEquals(img, ColorJitter.adjustSaturation(img, 1), 1e-6f);
        // torchvision: adjust_saturation(0.5) = (0.61331, 0.36331, 0.26331).
        assertArrayEquals(pixel(0.61331f, 0.36331f, 0.26331f), ColorJitter.adjustSaturation(img, 0.5), 1e-5f);
    }

    @Test
    void hueRotatesInHsv() {
        // Red by a third of a turn is green, by two thirds blue.
        assertArrayEquals(pixel(0, 1, 0), ColorJitter.adjustHue(pixel(1, 0, 0), 1.0 / 3), 1e-5f);
        assertArrayEquals(pixel(0, 0, 1), ColorJitter.adjustHue(pixel(1, 0, 0), -1.0 / 3), 1e-5f);
        // H = (0.3 - 0.1) / 0.7 / 6 = 0.0476 -> 0.1476: (0.8, 0.72, 0.1), as torchvision's adjust_hue(0.1).
        assertArrayEquals(pixel(0.8f, 0.72f, 0.1f), ColorJitter.adjustHue(pixel(0.8f, 0.3f, 0.1f), 0.1), 1e-5f);
        // Gray has no hue; a zero shift round-trips.
        assertArrayEquals(pixel(0.4f, 0.4f, 0.4f), ColorJitter.adjustHue(pixel(0.4f, 0.4f, 0.4f), 0.3), 0f);
        Sample s = Fixtures.sample("a", 8, 8, 3, 9);
        assertArrayEquals(s.image(), ColorJitter.adjustHue(s.image(), 0), 1e-5f);
        assertArrayEquals(s.image(), ColorJitter.adjustHue(ColorJitter.adjustHue(s.image(), 0.2), -0.2), 1e-5f);
    }

    @Test
    void jitterKeepsValuesInRangeAndMaskUntouched() {
        Sample s = Fixtures.sample("a", 16, 16, 5, 11);
        ColorJitter strong = new ColorJitter(1, 0.9, 0.9, 0.9, 0.5);
        int changed = 0;
        for (long seed = 0; seed < 100; seed++) {
            Sample j = strong.apply(s, new SplittableRandom(seed));
            assertSame(s.mask(), j.mask());
            for (float v : j.image()) {
                assertTrue(v >= 0f && v <= 1f, "value " + v);
            }
            changed += java.util.Arrays.equals(j.image(), s.image()) ? 0 : 1;
        }
        assertEquals(100, changed);
    }

    @Test
    void jitterDoesNotModifyItsInput() {
        Sample s = Fixtures.sample("a", 6, 6, 3, 12);
        float[] before = s.image().clone();
        new ColorJitter(1, 0.3, 0.3, 0.15, 0.1).apply(s, new SplittableRandom(3));
        assertArrayEquals(before, s.image());
    }

    @Test
    void probabilityGatesTheJitter() {
        Sample s = Fixtures.sample("a", 4, 4, 3, 13);
        assertSame(s, new ColorJitter(0, 0.3, 0.3, 0.15, 0.1).apply(s, new SplittableRandom(1)));
        int applied = 0;
        ColorJitter p = new ColorJitter(0.2, 0.3, 0.3, 0.15, 0.1);
        for (long seed = 0; seed < 2000; seed++) {
            applied += p.apply(s, new SplittableRandom(seed)) == s ? 0 : 1;
        }
        assertEquals(400, applied, 60);
    }

    @Test
    void brightnessOnlyJitterStaysWithinItsRange() {
        // A single mid-gray pixel under brightness 0.3 only: the factor, and so the value, lies in [0.35, 0.65].
        Sample s = new Sample("g", new float[] {0.5f, 0.5f, 0.5f}, null, 1, 1);
        ColorJitter j = new ColorJitter(1, 0.3, 0, 0, 0);
        float lo = 1;
        float hi = 0;
        for (long seed = 0; seed < 500; seed++) {
            float v = j.apply(s, new SplittableRandom(seed)).image()[0];
            assertTrue(v >= 0.35f - 1e-6f && v <= 0.65f + 1e-6f);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(lo < 0.37f && hi > 0.63f, lo + " " + hi);
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ColorJitter(1.1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ColorJitter(1, -0.1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ColorJitter(1, 0, 0, 0, 0.6));
        assertFalse(Double.isNaN(new ColorJitter(1, 0, 0, 0, 0.5).hue()));
    }
}
