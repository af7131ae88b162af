package org.semiseg.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaletteTest {

    @Test
    void vocColoursAreTheKnownOnes() {
        Palette voc = Palette.forClasses(21);
        assertEquals(0x000000, voc.rgb(0));
        assertEquals(0x800000, voc.rgb(1));
        assertEquals(0x008000, voc.rgb(2));
        assertEquals(0x808000, voc.rgb(3));
        assertEquals(0x000080, voc.rgb(4));
        assertEquals(0xC08080, voc.rgb(15)); // person
        assertEquals(0x004080, voc.rgb(20)); // tv/monitor
    }

    @Test
    void coloursAreDistinctAndIgnoreIsBlack() {
        Palette palette = Palette.forClasses(255);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < palette.size(); i++) {
            assertTrue(seen.add(palette.rgb(i)), "duplicate colour at " + i);
        }
        assertEquals(0, palette.rgb(255));
        assertEquals(0, palette.rgb(-1));
        assertFalse(palette.contains(255));
        assertThrows(IllegalArgumentException.class, () -> Palette.forClasses(0));
        assertThrows(IllegalArgumentException.class, () -> Palette.forClasses(256));
    }

    @Test
    void explicitColours() {
        Palette palette = Palette.of(new int[][] {{1, 2, 3}, {255, 128, 0}});
        assertEquals(2, palette.size());
        assertEquals(0x010203, palette.rgb(0));
        assertEquals(0xFF8000, palette.rgb(1));
        assertEquals(0, palette.rgb(2));
        assertThrows(IllegalArgumentException.class, () -> Palette.of(new int[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> Palette.of(new int[][] {{1, 2, 256}}));
        assertThrows(IllegalArgumentException.class, () -> Palette.of(new int[0][]));
    }
}
