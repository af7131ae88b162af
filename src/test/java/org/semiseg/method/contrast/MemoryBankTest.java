package org.semiseg.method.contrast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryBankTest {

    @Test
    void pushKeepsNewestFirstAndDropsOldestBeyondSize() {
        MemoryBank bank = new MemoryBank(2, 2, 2);
        assertEquals(0, bank.fill(0));
        // three vectors a, b, c into a queue of two: c (newest), b
        bank.push(0, new float[] {1, 1, 2, 2, 3, 3}, 3);
        assertEquals(2, bank.fill(0));
        assertArrayEquals(new float[] {3, 3, 2, 2}, bank.entries(0));
        assertEquals(0, bank.fill(1));
        // one at a time gives the same order
        bank.push(1, new float[] {1, 1}, 1);
        assertArrayEquals(new float[] {1, 1}, bank.entries(1));
        bank.push(1, new float[] {2, 2}, 1);
        bank.push(1, new float[] {3, 3}, 1);
        assertArrayEquals(new float[] {3, 3, 2, 2}, bank.entries(1));
        // only `count` vectors are read
        bank.push(1, new float[] {4, 4, 9, 9}, 1);
        assertArrayEquals(new float[] {4, 4, 3, 3}, bank.entries(1));
    }

    @Test
    void entriesAsArrayOrNullWhenEmpty() {
        MemoryBank bank = new MemoryBank(3, 4, 2);
        bank.push(1, new float[] {1, 2, 3, 4}, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            assertNull(bank.entries(m, 0));
            NDArray e = bank.entries(m, 1);
            assertEquals(new Shape(2, 2), e.getShape());
            assertArrayEquals(new float[] {3, 4, 1, 2}, e.toFloatArray());
            assertTrue(e.getManager() == m);
        }
    }

    @Test
    void stateRoundTripThroughSafetensorsGivesSameEntriesAndSameFuture() throws IOException {
        MemoryBank a = new MemoryBank(3, 3, 2);
        a.push(0, new float[] {1, 1, 2, 2, 3, 3, 4, 4}, 4); // wrapped ring
        a.push(0, new float[] {5, 5}, 1);
        a.push(2, new float[] {7, 8}, 1);
        MemoryBank b = new MemoryBank(3, 3, 2);
        b.push(1, new float[] {9, 9}, 1); // replaced by the load
        try (NDManager m = NDManager.newBaseManager()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (NDList state = a.state(m)) {
                assertEquals(new Shape(3, 3, 2), state.get(0).getShape());
                state.encode(bytes, NDList.Encoding.SAFETENSORS);
            }
            NDList decoded = NDList.decode(m, bytes.toByteArray());
            Map<String, NDArray> byName = new HashMap<>();
            for (NDArray x : decoded) {
                byName.put(x.getName(), x);
            }
            b.loadState(byName);
        }
        for (int c = 0; c < 3; c++) {
            assertEquals(a.fill(c), b.fill(c));
            assertArrayEquals(a.entries(c), b.entries(c));
        }
        assertArrayEquals(new float[] {5, 5, 4, 4, 3, 3}, b.entries(0));
        float[] more = {6, 6, 10, 10};
        a.push(0, more, 2);
        b.push(0, more, 2);
        a.push(2, more, 1);
        b.push(2, more, 1);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(a.entries(c), b.entries(c));
        }
        assertArrayEquals(new float[] {10, 10, 6, 6, 5, 5}, b.entries(0));
        assertArrayEquals(new float[] {6, 6, 7, 8}, b.entries(2));
    }

    @Test
    void loadStateRejectsMismatchedShapes() {
        MemoryBank bank = new MemoryBank(3, 4, 2);
        bank.push(0, new float[] {1, 2}, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> wrongSize = new HashMap<>();
            wrongSize.put(MemoryBank.VECTORS, m.zeros(new Shape(3, 5, 2)));
            wrongSize.put(MemoryBank.FILL, m.create(new int[] {0, 0, 0}));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> bank.loadState(wrongSize));
            assertTrue(e.getMessage().contains("(3, 5, 2)") && e.getMessage().contains("(3, 4, 2)"), e.getMessage());

            Map<String, NDArray> wrongFill = new HashMap<>();
            wrongFill.put(MemoryBank.VECTORS, m.zeros(new Shape(3, 4, 2)));
            wrongFill.put(MemoryBank.FILL, m.create(new int[] {0, 0}));
            assertThrows(IllegalArgumentException.class, () -> bank.loadState(wrongFill));

            Map<String, NDArray> overFull = new HashMap<>();
            overFull.put(MemoryBank.VECTORS, m.zeros(new Shape(3, 4, 2)));
            overFull.put(MemoryBank.FILL, m.create(new int[] {0, 5, 0}));
            assertThrows(IllegalArgumentException.class, () -> bank.loadState(overFull));

            assertThrows(IllegalArgumentException.class, () -> bank.loadState(Map.of()));
        }
        // a failed load leaves the bank as it was
        assertArrayEquals(new float[] {1, 2}, bank.entries(0));
    }
}
