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
        assertTrue(e.getMessage().contains("'medium'") && e.getMessage().contains("none, weak, strong"), e.getMessage());
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
