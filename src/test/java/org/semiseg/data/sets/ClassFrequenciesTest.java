package org.semiseg.data.sets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;

class ClassFrequenciesTest {
    @TempDir
    Path root;

    @Test
    void countsPixelsPerClassWithIgnoredLast() {
        Fixtures.text(root.resolve("dataset.yaml"), "classes: [a, b, c, d]\nignore_values: [9]\nsplits: {t: {images: i, masks: m}}\n");
        Fixtures.gray(root.resolve("m/1.png"), 4, 1, 0, 0, 1, 9);
        Fixtures.gray(root.resolve("m/2.png"), 4, 1, 0, 0, 0, 2);
        FolderLayout layout = new FolderLayout(root);
        List<FilePair> pairs = List.of(new FilePair("i/1.png", "m/1.png"), new FilePair("i/2.png", "m/2.png"),
                new FilePair("i/3.png", null));
        long[] counts = ClassFrequencies.count(layout, pairs, 255, 2);
        assertArrayEquals(new long[] {5, 1, 1, 0, 1}, counts);
        assertArrayEquals(counts, ClassFrequencies.count(layout, pairs, 255, 1));
        Fixtures.gray(root.resolve("m/3.png"), 1, 1, 7);
        assertThrows(SemisegException.class,
                () -> ClassFrequencies.count(layout, List.of(new FilePair("i/3.png", "m/3.png")), 255, 2));
    }

    @Test
    void tableGivesFrequencyAndMedianFrequencyWeights() {
        // frequencies 0.5, 0.25, 0.25, 0 -> median of present 0.25 -> weights sqrt(0.5), 1, 1, 0 (absent)
        String table = ClassFrequencies.table(List.of("road", "car", "person", "train"), new long[] {200, 100, 100, 0, 50});
        List<String> lines = table.lines().toList();
        assertEquals(6, lines.size(), table);
        assertTrue(lines.get(0).matches("class\\s+pixels\\s+frequency\\s+weight"), table);
        assertTrue(lines.get(1).matches("road\\s+200\\s+0\\.500000\\s+0\\.7071"), table);
        assertTrue(lines.get(2).matches("car\\s+100\\s+0\\.250000\\s+1\\.0000"), table);
        assertTrue(lines.get(4).matches("train\\s+0\\s+0\\.000000\\s+0\\.0000  absent"), table);
        assertTrue(lines.get(5).matches("\\(ignored\\)\\s+50\\s+\\(0\\.1111 of all pixels\\)"), table);
        assertEquals(5, ClassFrequencies.table(List.of("road", "car", "person", "train"), new long[] {1, 1, 1, 1}).lines().count());
        assertThrows(IllegalArgumentException.class, () -> ClassFrequencies.table(List.of("a"), new long[3]));
    }
}
