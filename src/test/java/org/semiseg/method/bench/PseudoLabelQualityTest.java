package org.semiseg.method.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PseudoLabelQuality}'s per-class shares on four pixels counted by hand. */
class PseudoLabelQualityTest {
    @Test
    void sharesOfFourPixels() {
        PseudoLabelQuality.Counts c = new PseudoLabelQuality.Counts(2);
        c.add(0, 0, true);   // a, right, kept
        c.add(0, 1, true);   // a taken for b, kept
        c.add(1, 1, false);  // b, right, below tau
        c.add(1, 1, true);   // b, right, kept
        String table = c.table(List.of("a", "b"), 0.95, 1, Path.of("run"));
        // 3 of 4 kept, 2 of those 3 right
        assertTrue(table.contains("75.0 % of the labelled pixels kept, 66.7 % of those right"), table);
        // a: half the pixels, both kept, 1 of 2 right, 1 of 2 right and kept, the one kept "a" is right
        assertTrue(table.contains("| a | 50.0 % | 100.0 % | 50.0 % | 50.0 % | 100.0 % |"), table);
        // b: 1 of 2 kept, both right, 1 of 2 right and kept, the kept "b"s are 1 right of 2
        assertTrue(table.contains("| b | 50.0 % | 50.0 % | 100.0 % | 50.0 % | 50.0 % |"), table);
    }
}
