package org.semiseg.method.u2pl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-class FIFO queues of U2PL's negatives (Wang et al., CVPR 2022, Sec. 3.3). Key i is the vector (i, -i). */
class ClassQueueTest {

    private static NDArray keys(NDManager m, int... ids) {
        float[] v = new float[ids.length * 2];
        for (int i = 0; i < ids.length; i++) {
            v[2 * i] = ids[i];
            v[2 * i + 1] = -ids[i];
        }
        return m.create(v, new Shape(ids.length, 2));
    }

    /** The ids of class c's keys, oldest first. */
    private static int[] ids(ClassQueue q, int c, NDManager m) {
        float[] v = q.entries(c, m).toFloatArray();
        int[] out = new int[v.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) v[2 * i];
            assertEquals(-out[i], v[2 * i + 1], 0, "a key is stored whole");
        }
        return out;
    }

    @Test
    void firstInFirstOut() {
        try (NDManager m = NDManager.newBaseManager()) {
            ClassQueue q = new ClassQueue(m, 3, 4, 2);
            q.push(1, keys(m, 1, 2, 3));
            assertArrayEquals(new int[] {1, 2, 3}, ids(q, 1, m));
            q.push(1, keys(m, 4, 5));
            assertArrayEquals(new int[] {2, 3, 4, 5}, ids(q, 1, m), "the oldest key leaves first");
            q.push(1, keys(m, 6));
            assertArrayEquals(new int[] {3, 4, 5, 6}, ids(q, 1, m));
            q.push(1, keys(m, 7, 8, 9, 10, 11));
            assertArrayEquals(new int[] {8, 9, 10, 11}, ids(q, 1, m), "a push larger than the queue keeps its last keys");
            q.push(2, keys(m, 20));
            assertEquals(0, q.fill(0));
            assertEquals(4, q.fill(1));
            assertEquals(1, q.fill(2));
            assertArrayEquals(new int[] {20}, ids(q, 2, m), "classes do not share a queue");
            q.push(2, m.zeros(new Shape(0, 2)));
            assertEquals(1, q.fill(2), "an empty push changes nothing");
        }
    }

    @Test
    void stateRoundTripsAndTheRestoredQueueDropsWhatTheSavedOneWould() {
        try (NDManager m = NDManager.newBaseManager()) {
            ClassQueue a = new ClassQueue(m, 2, 3, 2);
            a.push(0, keys(m, 1, 2, 3, 4));
            a.push(1, keys(m, 7));
            Map<String, NDArray> saved = new HashMap<>();
            for (NDArray x : a.state()) {
                saved.put(x.getName(), x.duplicate());
            }
            ClassQueue b = new ClassQueue(m, 2, 3, 2);
            b.loadState(saved);
            for (int c = 0; c < 2; c++) {
                assertArrayEquals(ids(a, c, m), ids(b, c, m));
            }
            a.push(0, keys(m, 5));
            b.push(0, keys(m, 5));
            a.push(1, keys(m, 8, 9, 10));
            b.push(1, keys(m, 8, 9, 10));
            assertArrayEquals(new int[] {3, 4, 5}, ids(b, 0, m));
            assertArrayEquals(new int[] {8, 9, 10}, ids(b, 1, m));
            for (int c = 0; c < 2; c++) {
                assertArrayEquals(ids(a, c, m), ids(b, c, m));
            }
            Map<String, NDArray> missing = new HashMap<>(saved);
            missing.remove(ClassQueue.NEXT);
            assertThrows(IllegalArgumentException.class, () -> b.loadState(missing));
            Map<String, NDArray> wrong = new HashMap<>(saved);
            NDArray next = m.create(new int[] {1, 0});
            next.setName(ClassQueue.NEXT);
            wrong.put(ClassQueue.NEXT, next);
            assertThrows(IllegalArgumentException.class, () -> b.loadState(wrong),
                    "class 1 holds 1 key, so its next slot must be 1");
        }
    }

    @Test
    void samplesComeFromTheQueueOfEachRowsClass() {
        try (NDManager m = NDManager.newBaseManager()) {
            ClassQueue q = new ClassQueue(m, 3, 5, 2);
            q.push(0, keys(m, 1, 2));
            q.push(2, keys(m, 30, 31, 32));
            NDArray drawn = q.sample(new int[] {2, 0, 2}, 40, new SplittableRandom(4), m);
            assertEquals(new Shape(3, 40, 2), drawn.getShape());
            float[] v = drawn.toFloatArray();
            java.util.Set<Integer> seen = new java.util.TreeSet<>();
            for (int r = 0; r < 3; r++) {
                for (int j = 0; j < 40; j++) {
                    int id = (int) v[(r * 40 + j) * 2];
                    assertTrue(r == 1 ? id == 1 || id == 2 : id >= 30 && id <= 32, "row " + r + " drew key " + id);
                    seen.add(id);
                }
            }
            assertEquals(java.util.Set.of(1, 2, 30, 31, 32), seen, "every key of the classes is drawn");
            assertArrayEquals(v, q.sample(new int[] {2, 0, 2}, 40, new SplittableRandom(4), m).toFloatArray(),
                    "the generator decides the draws");
            assertThrows(IllegalStateException.class, () -> q.sample(new int[] {1}, 1, new SplittableRandom(1), m));
        }
    }
}
