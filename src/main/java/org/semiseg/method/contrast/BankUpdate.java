package org.semiseg.method.contrast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.ParameterStore;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.semiseg.loss.GraphSafe;

/**
 * The memory-bank update of Alonso et al. (ICCV 2021), Section 3.4, from one labeled batch (no gradient):
 * <ol>
 *   <li>labels are downsampled to the feature map by nearest neighbour;</li>
 *   <li>the Feature Quality Filter keeps pixels whose prediction (argmax of the logits at the feature map's positions)
 *       equals the label with confidence above φ (off: every labeled pixel);</li>
 *   <li>the survivors' projection vectors z are ranked by the attention module of their class and the K highest of each
 *       image and class enter the class's FIFO queue (attention off: K drawn at random).</li>
 * </ol>
 */
public final class BankUpdate {
    private final MemoryBank bank;
    private final int perImage;
    private final float confidence;
    private final boolean qualityFilter;
    private final boolean attention;

    /**
     * @param perImage K, entries per image and class ({@link BankSelection#perImage})
     * @param confidence φ of the Feature Quality Filter
     */
    public BankUpdate(MemoryBank bank, int perImage, double confidence, boolean qualityFilter, boolean attention) {
        this.bank = bank;
        this.perImage = perImage;
        this.confidence = (float) confidence;
        this.qualityFilter = qualityFilter;
        this.attention = attention;
    }

    /**
     * @param ranker   the heads whose projection and selectors rank the candidates (the teacher's, or the student's)
     * @param logits   (N, C, H, W) detached predictions of the network that made {@code features}
     * @param features (N, F, h, w) detached pre-classifier features
     * @param labels   (N·H·W) host labels of the images, the ignore index where unlabeled
     */
    public void update(NDManager m, ParameterStore ps, ContrastiveHeads ranker, NDArray logits, NDArray features,
                       int[] labels, int height, int width, int ignoreIndex, SplittableRandom rng) {
        Shape fs = features.getShape();
        int n = (int) fs.get(0);
        int h = (int) fs.get(2);
        int w = (int) fs.get(3);
        int[] labelsDown = BankSelection.gather(labels, BankSelection.nearestSource(n, height, width, h, w));
        int[] predDown = null;
        float[] confDown = null;
        if (qualityFilter) {
            // the filter reads the prediction at the feature map's positions only (the labels' nearest rule)
            int[] positions = BankSelection.nearestSource(1, height, width, h, w);
            long classes = logits.getShape().get(1);
            try (NDArray flat = logits.reshape(n, classes, (long) height * width); NDArray at = m.create(positions);
                 NDArray picked = flat.get(new NDIndex(":, :, {}", at)); NDArray prob = picked.softmax(1);
                 NDArray pred = prob.argMax(1); NDArray pred32 = pred.toType(DataType.INT32, true);
                 NDArray conf = prob.max(new int[] {1})) {
                predDown = pred32.toIntArray();
                confDown = conf.toFloatArray();
            }
        }
        boolean[] keep = BankSelection.qualityFilter(labelsDown, predDown, confDown, confidence, ignoreIndex,
                qualityFilter);
        int[] index = IntStream.range(0, keep.length).filter(i -> keep[i]).toArray();
        if (index.length < 2) { // BN in the heads needs two vectors in training mode
            return;
        }
        int[] image = new int[index.length];
        int[] cls = BankSelection.gather(labelsDown, index);
        for (int k = 0; k < index.length; k++) {
            image[k] = index[k] / (h * w);
        }
        // every array of the update is freed when it returns (the inputs are detached: no graph keeps them); the
        // heads' forward still moves their BN statistics
        float[] vectors;
        int[] chosen;
        try (NDArray z = project(m, ps, ranker, features, index)) {
            float[] scores = attention ? scores(m, ps, ranker, z, cls) : null;
            chosen = BankSelection.topK(image, cls, scores, perImage, rng);
            if (chosen.length == 0) {
                return;
            }
            try (NDArray at = m.create(chosen); NDArray picked = z.get(at)) {
                vectors = picked.toFloatArray();
            }
        }
        int dim = bank.dim();
        // chosen is grouped by image, then class: push each run of one class in order
        int start = 0;
        while (start < chosen.length) {
            int c = cls[chosen[start]];
            int end = start;
            while (end < chosen.length && cls[chosen[end]] == c) {
                end++;
            }
            bank.push(c, java.util.Arrays.copyOfRange(vectors, start * dim, end * dim), end - start);
            start = end;
        }
    }

    /** The candidates' projections (k, D), detached: the rows {@code index} of {@code features} through the heads. */
    private static NDArray project(NDManager m, ParameterStore ps, ContrastiveHeads ranker, NDArray features,
                                   int[] index) {
        try (NDArray flat = pixels(features); NDArray rows = rows(m, flat, index);
             NDArray projected = ranker.project(ps, rows, true)) {
            return projected.stopGradient();
        }
    }

    /** Each candidate's score by its class's projection selector, one host copy for all classes. */
    private float[] scores(NDManager m, ParameterStore ps, ContrastiveHeads ranker, NDArray z, int[] cls) {
        float[] scores = new float[cls.length];
        List<int[]> groups = new ArrayList<>();
        float[] all;
        try (NDList classScores = new NDList(); NDList made = new NDList()) {
            for (int c = 0; c < bank.numClasses(); c++) {
                int cl = c;
                int[] members = IntStream.range(0, cls.length).filter(i -> cls[i] == cl).toArray();
                if (members.length == 0) {
                    continue;
                }
                // BN needs two vectors for batch statistics; a lone candidate is scored with the running ones
                groups.add(members);
                NDArray at = m.create(members);
                NDArray rows = z.get(at);
                made.add(at);
                made.add(rows);
                classScores.add(ranker.projectionScore(ps, c, rows, members.length > 1));
            }
            if (classScores.size() == 1) {
                all = classScores.get(0).toFloatArray();
            } else {
                try (NDArray joined = GraphSafe.concat(classScores, 0)) {
                    all = joined.toFloatArray();
                }
            }
        }
        int k = 0;
        for (int[] members : groups) {
            for (int member : members) {
                scores[member] = all[k++];
            }
        }
        return scores;
    }

    /**
     * Rows {@code index} of a 2-D array (R, F) as (k, F), gradient included, through torch's embedding lookup (rows
     * of a table). Its backward saves only R and the index and adds the rows' gradients with {@code index_add}, where
     * advanced indexing ({@code x.get(index)}) accumulates one element at a time: 22 ms instead of 34, forward and
     * backward, for 40,832 of 42,240 rows of 64 here. (A gather over an expanded index was faster still, 18 ms, but
     * its backward keeps all of x alive until it runs.) The index is torch's own memory, so nothing here outlives its
     * handle.
     */
    public static NDArray rows(NDManager m, NDArray x, int[] index) {
        try (NDArray at = GraphSafe.upload(m, index); NDArray at64 = at.toType(DataType.INT64, false);
             NDList looked = x.getNDArrayInternal().embedding(at64, x, SparseFormat.DENSE)) {
            NDArray out = looked.singletonOrThrow();
            looked.clear(); // the caller owns the result
            return out;
        }
    }

    /** (N, F, h, w) to (N·h·w, F), one row per pixel. */
    public static NDArray pixels(NDArray features) {
        Shape s = features.getShape();
        // the transposed view would keep the feature map's memory until the step's end: only the copy is returned
        try (NDArray channelsLast = features.transpose(0, 2, 3, 1)) {
            return channelsLast.reshape(-1, s.get(1));
        }
    }
}
