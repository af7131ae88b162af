package org.semiseg.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DemoDataTest {

    @Test
    void defaultsDescribeTheDemo() {
        assertEquals(512, DemoData.train(0).size());
        assertEquals(128, DemoData.val(0).size());
        assertEquals(64, DemoData.train(0).imageSize());
        assertEquals("val", DemoData.val(0).splitName());
    }

    @Test
    void splitIsAnEighthByDefaultAndCoversEveryIndexOnce() {
        DemoData.LabeledSplit split = DemoData.splitLabeled(42, DemoData.DEFAULT_LABELED_FRACTION);
        assertEquals(64, split.labeled().size());
        assertEquals(448, split.unlabeled().size());
        List<Integer> all = new ArrayList<>(split.labeled());
        all.addAll(split.unlabeled());
        Collections.sort(all);
        assertEquals(IntStream.range(0, 512).boxed().toList(), all);
        List<Integer> sorted = new ArrayList<>(split.labeled());
        Collections.sort(sorted);
        assertEquals(sorted, split.labeled());
    }

    @Test
    void splitIsDeterministicPerSeedAndNestedAcrossFractions() {
        assertEquals(DemoData.splitLabeled(1, 100, 0.25), DemoData.splitLabeled(1, 100, 0.25));
        assertNotEquals(DemoData.splitLabeled(1, 100, 0.25).labeled(), DemoData.splitLabeled(2, 100, 0.25).labeled());
        List<Integer> eighth = DemoData.splitLabeled(5, 512, 0.125).labeled();
        List<Integer> quarter = DemoData.splitLabeled(5, 512, 0.25).labeled();
        assertTrue(quarter.containsAll(eighth));
        assertEquals(512, DemoData.splitLabeled(5, 512, 1.0).labeled().size());
        assertEquals(1, DemoData.splitLabeled(5, 3, 0.01).labeled().size());
    }

    @Test
    void badFractionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DemoData.splitLabeled(0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> DemoData.splitLabeled(0, 10, 1.5));
        assertThrows(IllegalArgumentException.class, () -> DemoData.splitLabeled(0, 10, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> DemoData.splitLabeled(0, 0, 0.5));
    }
}
