package org.semiseg.method.contrast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.semiseg.model.BatchNorm2d;
import org.semiseg.model.Linear;
import org.semiseg.model.ModuleBlock;

/**
 * The trainable parts of the pixel-level contrastive module of Alonso et al. (ICCV 2021, Sections 3.4 and 4.2),
 * applied to per-pixel vectors given as rows of a 2-D array (N, channels):
 *
 * <ul>
 *   <li>{@code projection}: Linear(F, dim) - BN - ReLU - Linear(dim, dim), the projection head giving z;</li>
 *   <li>{@code prediction}: Linear(dim, dim) - BN - ReLU - Linear(dim, dim), the prediction head giving p from z;</li>
 *   <li>{@code pred_selectors.<c>} and {@code proj_selectors.<c>} for every class c: the class-specific attention
 *       modules S_c, Linear(dim, dim) - BN - LeakyReLU(0.2) - Linear(dim, 1) - Sigmoid, one scoring prediction
 *       vectors p and one scoring projection vectors z (memory-bank entries, and candidates for the bank).</li>
 * </ul>
 *
 * Inside each of these, the layers are numbered as in a torch nn.Sequential ({@code 0} first Linear, {@code 1} BN,
 * {@code 3} last Linear), so parameter names read like {@code proj_selectors.4.3.bias}. In training mode BN uses the
 * statistics of the rows given, which needs at least two rows.
 */
public final class ContrastiveHeads extends ModuleBlock {

    private static final float LEAKY_SLOPE = 0.2f;

    private final int featureChannels;
    private final int dim;
    private final int numClasses;
    private final Mlp projection;
    private final Mlp prediction;
    private final Mlp[] predSelectors;
    private final Mlp[] projSelectors;

    public ContrastiveHeads(int featureChannels, int dim, int numClasses) {
        if (featureChannels < 1 || dim < 1 || numClasses < 1) {
            throw new IllegalArgumentException("featureChannels, dim and numClasses must be positive, got "
                    + featureChannels + ", " + dim + ", " + numClasses);
        }
        this.featureChannels = featureChannels;
        this.dim = dim;
        this.numClasses = numClasses;
        projection = addChildBlock("projection", new Mlp(featureChannels, dim, dim, false));
        prediction = addChildBlock("prediction", new Mlp(dim, dim, dim, false));
        predSelectors = new Mlp[numClasses];
        projSelectors = new Mlp[numClasses];
        Group pred = addChildBlock("pred_selectors", new Group());
        Group proj = addChildBlock("proj_selectors", new Group());
        for (int c = 0; c < numClasses; c++) {
            predSelectors[c] = pred.add(Integer.toString(c), new Mlp(dim, dim, 1, true));
            projSelectors[c] = proj.add(Integer.toString(c), new Mlp(dim, dim, 1, true));
        }
    }

    public int dim() {
        return dim;
    }

    public int numClasses() {
        return numClasses;
    }

    public int featureChannels() {
        return featureChannels;
    }

    /** Projection head: (N, F) -> (N, dim). */
    public NDArray project(ParameterStore ps, NDArray v, boolean training) {
        return projection.apply(ps, v, training);
    }

    /** Prediction head: (N, dim) -> (N, dim). */
    public NDArray predict(ParameterStore ps, NDArray z, boolean training) {
        return prediction.apply(ps, z, training);
    }

    /** Class c's attention module for prediction vectors: (N, dim) -> (N) scores in (0, 1). */
    public NDArray predictionScore(ParameterStore ps, int c, NDArray p, boolean training) {
        return score(predSelectors[checkClass(c)], ps, p, training);
    }

    /** Class c's attention module for projection vectors (bank entries, bank candidates): (N, dim) -> (N). */
    public NDArray projectionScore(ParameterStore ps, int c, NDArray z, boolean training) {
        return score(projSelectors[checkClass(c)], ps, z, training);
    }

    private static NDArray score(Mlp selector, ParameterStore ps, NDArray x, boolean training) {
        NDArray column = selector.apply(ps, x, training);
        NDArray flat = column.reshape(column.getShape().get(0));
        column.close();
        return flat;
    }

    private int checkClass(int c) {
        if (c < 0 || c >= numClasses) {
            throw new IllegalArgumentException("class " + c + " outside 0.." + (numClasses - 1));
        }
        return c;
    }

    /** As a block, the heads only project: (N, F) -> (N, dim). */
    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return project(ps, x, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }

    /**
     * Linear - BN - activation - Linear (children 0, 1, 3), with ReLU, or LeakyReLU(0.2) and a final sigmoid for a
     * selector.
     */
    private static final class Mlp extends ModuleBlock {

        private final int out;
        private final boolean selector;
        private final Linear first;
        private final BatchNorm2d bn;
        private final Linear last;

        Mlp(int in, int hidden, int out, boolean selector) {
            this.out = out;
            this.selector = selector;
            first = addChildBlock("0", new Linear(in, hidden));
            bn = addChildBlock("1", new BatchNorm2d(hidden));
            last = addChildBlock("3", new Linear(hidden, out));
        }

        @Override
        public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
            NDArray hidden = first.apply(ps, x, training);
            // torch's batch_norm normalises axis 1 of an (N, C) array as it does for (N, C, H, W)
            NDArray normalised = bn.apply(ps, hidden, training);
            hidden.close();
            NDArray activated = selector
                    ? normalised.getNDArrayInternal().leakyRelu(LEAKY_SLOPE)
                    : relu(normalised);
            normalised.close();
            NDArray y = last.apply(ps, activated, training);
            activated.close();
            if (!selector) {
                return y;
            }
            NDArray s = y.getNDArrayInternal().sigmoid();
            y.close();
            return s;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), out)};
        }
    }

    /** A named list of selectors, one child per class ("0", "1", ...). Not applied as a whole. */
    private static final class Group extends ModuleBlock {

        <B extends ModuleBlock> B add(String name, B block) {
            return addChildBlock(name, block);
        }

        @Override
        public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
            throw new UnsupportedOperationException("apply one selector of the group instead");
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
        }
    }
}
