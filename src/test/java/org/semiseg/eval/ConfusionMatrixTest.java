package org.semiseg.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    private static final int IGNORE = 255;

    // 4 classes; class 3 never appears. Two ignored pixels and one label >= numClasses are skipped.
    //   label: 0 0 0 0 1 1 1 2 2 | 255 255 7
    //   pred : 0 0 0 1 1 1 2 2 0 |   1   2 0
    // counts[label][pred]: (0,0)=3 (0,1)=1 (1,1)=2 (1,2)=1 (2,2)=1 (2,0)=1, total 9
    // IoU0 = 3 / (4 + 4 - 3) = 0.6; IoU1 = 2 / (3 + 3 - 2) = 0.5; IoU2 = 1 / (2 + 2 - 1) = 1/3; IoU3 = NaN
    // mIoU = (0.6 + 0.5 + 1/3) / 3 = 0.47778; pixel accuracy = 6 / 9; class accuracy = 3/4, 2/3, 1/2, NaN
    private static final int[] LABEL = {0, 0, 0, 0, 1, 1, 1, 2, 2, 255, 255, 7};
    private static final int[] PRED = {0, 0, 0, 1, 1, 1, 2, 2, 0, 1, 2, 0};

    @Test
    void metricsMatchHandComputation() {
        ConfusionMatrix cm = new ConfusionMatrix(4);
        cm.add(LABEL, PRED, IGNORE);
        assertEquals(9, cm.total());
        assertEquals(3, cm.get(0, 0));
        assertEquals(1, cm.get(2, 0));
        double[] iou = cm.iou();
        assertEquals(0.6, iou[0], 1e-12);
        assertEquals(0.5, iou[1], 1e-12);
        assertEquals(1.0 / 3, iou[2], 1e-12);
        assertTrue(Double.isNaN(iou[3]));
        assertEquals((0.6 + 0.5 + 1.0 / 3) / 3, cm.meanIou(), 1e-12);
        assertEquals(6.0 / 9, cm.pixelAccuracy(), 1e-12);
        double[] acc = cm.classAccuracy();
        assertEquals(0.75, acc[0], 1e-12);
        assertEquals(2.0 / 3, acc[1], 1e-12);
        assertEquals(0.5, acc[2], 1e-12);
        assertTrue(Double.isNaN(acc[3]));
    }

    @Test
    void ignoreIndexInsideClassRangeIsSkipped() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(new int[] {0, 1, 2}, new int[] {0, 0, 0}, 1);
        assertEquals(2, cm.total());
        assertEquals(0, cm.get(1, 0));
    }

    @Test
    void addMergesCountsAndRoundTripsThroughArray() {
        ConfusionMatrix a = new ConfusionMatrix(4);
        a.add(LABEL, PRED, IGNORE);
        ConfusionMatrix b = ConfusionMatrix.of(a.toArray());
        assertEquals(a, b);
        b.add(a);
        assertEquals(18, b.total());
        assertEquals(6, b.get(0, 0));
    }

    @Test
    void rejectsBadInput() {
        ConfusionMatrix cm = new ConfusionMatrix(2);
        assertThrows(IllegalArgumentException.class, () -> cm.add(new int[] {0}, new int[] {2}, IGNORE));
        assertThrows(IllegalArgumentException.class, () -> cm.add(new int[] {IGNORE}, new int[] {-1}, IGNORE));
        assertThrows(IllegalArgumentException.class, () -> cm.add(new int[] {0}, new int[] {0, 1}, IGNORE));
        assertThrows(IllegalArgumentException.class, () -> cm.add(new ConfusionMatrix(3)));
        assertTrue(Double.isNaN(cm.meanIou()));
    }

    @Test
    void tensorPathEqualsJavaPath() {
        int classes = 5;
        Random random = new Random(7);
        int n = 2 * 17 * 23;
        int[] label = new int[n];
        int[] pred = new int[n];
        for (int i = 0; i < n; i++) {
            int r = random.nextInt(10);
            label[i] = r < 1 ? IGNORE : r < 2 ? classes + 1 : random.nextInt(classes);
            pred[i] = random.nextInt(classes);
        }
        ConfusionMatrix java = new ConfusionMatrix(classes);
        java.add(label, pred, IGNORE);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray labels = manager.create(label, new Shape(2, 17, 23));
            NDArray preds = manager.create(pred, new Shape(2, 17, 23)).toType(DataType.INT64, false);
            int before = manager.getManagedArrays().size();
            ConfusionMatrix engine = new ConfusionMatrix(classes);
            engine.addTensors(labels, preds, IGNORE);
            assertEquals(java, engine);
            assertEquals(before, manager.getManagedArrays().size(), "addTensors leaked arrays");
            assertArrayEquals(java.iou(), engine.iou());

            NDArray badPreds = preds.add(classes);
            assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(classes).addTensors(labels, badPreds, IGNORE));
        }
    }
}
