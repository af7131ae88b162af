package org.semiseg.augment;

import org.junit.jupiter.api.Test;
import org.semiseg.SemisegException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentPresetTest {
    @Test
    void weakAndStrongAreTable1() {
        assertEquals(new AugmentPreset("weak", 0.5, 0.5, 0.75, 1.75, 0.2, 0.15, 0.15, 0.075, 0.05, 0, 0.2), AugmentPreset.WEAK);
        assertEquals(new AugmentPreset("strong", 0.5, 0.8, 0.75, 1.75, 0.8, 0.30, 0.30, 0.15, 0.10, 0.2, 0.8), AugmentPreset.STRONG);
    }

    /** UniMatch's {@code dataset/semi.py} and {@code dataset/transform.py} (LiheYoung/UniMatch). */
    @Test
    void uniMatchPresetsAreTheAuthorsValues() {
        AugmentPreset s = AugmentPreset.UNIMATCH_STRONG;
        assertEquals(java.util.List.of(0.5, 1.0, 0.5, 2.0), java.util.List.of(s.flip(), s.scaleProbability(), s.scaleMin(), s.scaleMax()));
        assertEquals(java.util.List.of(0.8, 0.5, 0.5, 0.5, 0.25), java.util.List.of(s.jitterProbability(), s.brightness(),
                s.contrast(), s.saturation(), s.hue()));
        assertEquals(java.util.List.of(0.2, 0.5, 0.1, 2.0), java.util.List.of(s.grayscaleProbability(), s.blurProbability(),
                s.blurSigmaMin(), s.blurSigmaMax()));
        assertEquals(0, s.classMixProbability(), "CutMix is the method's, not the preset's");
        AugmentPreset w = AugmentPreset.UNIMATCH_WEAK;
        assertEquals(java.util.List.of(0.5, 1.0, 0.5, 2.0), java.util.List.of(w.flip(), w.scaleProbability(), w.scaleMin(), w.scaleMax()));
        assertEquals(0, w.jitterProbability() + w.grayscaleProbability() + w.blurProbability());
        assertSame(s, AugmentPreset.named("unimatch-strong"));
    }

    /** Grayscale is torchvision's luma in all three channels; Table 1's presets never draw for it. */
    @Test
    void grayscaleByHandAndAbsentFromTable1() {
        float[] rgb = {1, 0, 0.5f, 0, 1, 0.5f, 0, 0, 0.5f};   // three pixels: red, green, mid-gray
        float[] g = RandomGrayscale.gray(rgb);
        float[] expected = {0.2989f, 0.587f, 0.5f * (0.2989f + 0.587f + 0.114f)};   // the weights sum to 0.9999
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 3; p++) {
                assertEquals(expected[p], g[c * 3 + p], 1e-6, "channel " + c + " pixel " + p);
            }
        }
        assertEquals(0, AugmentPreset.WEAK.grayscaleProbability() + AugmentPreset.STRONG.grayscaleProbability());
        org.semiseg.data.Sample s = Fixtures.sample("a", 6, 7, 3, 1);
        assertSame(s, new RandomGrayscale(0).apply(s, new java.util.SplittableRandom(1)));
        // the strong preset's pipeline is still jitter then blur, from the same generator
        var pipeline = Augmentations.photometric(AugmentPreset.STRONG);
        var byHand = new GaussianBlur(0.2);
        var jitter = new ColorJitter(0.8, 0.3, 0.3, 0.15, 0.1);
        for (long seed = 0; seed < 20; seed++) {
            var a = pipeline.apply(s, new java.util.SplittableRandom(seed));
            var r = new java.util.SplittableRandom(seed);
            var b = byHand.apply(jitter.apply(s, r), r);
            org.junit.jupiter.api.Assertions.assertArrayEquals(b.image(), a.image(), "seed " + seed);
        }
    }

    @Test
    void noneChangesNothing() {
        AugmentPreset n = AugmentPreset.NONE;
        assertEquals(0, n.flip() + n.scaleProbability() + n.jitterProbability() + n.blurProbability() + n.classMixProbability());
    }

    @Test
    void namedIsCaseInsensitiveAndListsNamesOnError() {
        assertSame(AugmentPreset.STRONG, AugmentPreset.named("Strong"));
        assertSame(AugmentPreset.WEAK, AugmentPreset.named("weak"));
        assertSame(AugmentPreset.NONE, AugmentPreset.named(" none "));
        SemisegException e = assertThrows(SemisegException.class, () -> AugmentPreset.named("medium"));
        assertTrue(e.getMessage().contains("'medium'") && e.getMessage().contains("none, weak, strong, unimatch-weak, unimatch-strong"), e.getMessage());
    }

    @Test
    void refusesInvalidValues() {
        assertThrows(IllegalArgumentException.class,
                () -> new AugmentPreset("x", 1.5, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new AugmentPreset("x", 0.5, 0.5, 2, 1, 0, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new AugmentPreset("x", 0.5, 0.5, 1, 1, 0, 0, 0, 0, 0.7, 0, 0));
    }
}
