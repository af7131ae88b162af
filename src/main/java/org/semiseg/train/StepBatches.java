package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.augment.ViewGeometry;
import org.semiseg.data.HostBatch;
import org.semiseg.method.Batch;
import org.semiseg.method.parts.ViewMap;

import java.util.ArrayList;
import java.util.List;

/** Uploads the loader's host batches as a step's named {@link Batch}es on the training device. */
public final class StepBatches {
    private StepBatches() {
    }

    /** @param unlabeled the unlabeled batch, its masks the weak view's padding mask; null without one */
    public static Batch of(NDManager m, HostBatch labeled, HostBatch unlabeled, HostBatch source, int ignoreIndex) {
        return of(m, labeled, unlabeled, source, ignoreIndex, false);
    }

    /**
     * @param weakLabels whether the unlabeled batch's masks carry pseudo-masks as well ({@link TrainAugment#unlabeled}
     *                   with pseudo-masks): they become {@link Batch.Unlabeled#weakLabels()}
     */
    public static Batch of(NDManager m, HostBatch labeled, HostBatch unlabeled, HostBatch source, int ignoreIndex,
                           boolean weakLabels) {
        return new Batch(labeled(m, labeled), unlabeled == null ? null : unlabeled(m, unlabeled, ignoreIndex, weakLabels),
                source == null ? null : labeled(m, source));
    }

    private static Batch.Labeled labeled(NDManager m, HostBatch b) {
        return new Batch.Labeled(images(m, b.images(), b), masks(m, b));
    }

    private static Batch.Unlabeled unlabeled(NDManager m, HostBatch b, int ignoreIndex, boolean weakLabels) {
        NDArray mask = masks(m, b);
        NDArray padded = mask.eq(ignoreIndex);
        NDArray pseudo = null;
        if (weakLabels) {
            // no label (TrainAugment.NO_WEAK_LABEL) and padding both become the ignore index
            pseudo = NDArrays.where(mask.lt(0), mask.onesLike().mul(ignoreIndex), mask);
        }
        List<Batch.View> views = new ArrayList<>();
        for (int v = 0; v < b.strongViews().length; v++) {
            ViewGeometry[] to = b.strongGeometry() == null ? null : b.strongGeometry()[v];
            ViewMap map = b.geometry() == null || to == null ? ViewMap.identity(m, b.size(), b.height(), b.width())
                    : ViewMap.between(b.geometry(), to, m);
            views.add(new Batch.View(images(m, b.strongViews()[v], b), map));
        }
        return new Batch.Unlabeled(images(m, b.images(), b), new Batch.Padding(padded), views, pseudo);
    }

    /** {@code pixels} (one of the batch's image arrays) as an (N, 3, H, W) array. */
    private static NDArray images(NDManager m, float[] pixels, HostBatch b) {
        return m.create(pixels, new Shape(b.size(), 3, b.height(), b.width()));
    }

    private static NDArray masks(NDManager m, HostBatch b) {
        return m.create(b.masks(), new Shape(b.size(), b.height(), b.width())).toType(DataType.INT64, false);
    }
}
