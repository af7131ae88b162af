package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Base of every block in this package. All parameters are created with explicit shapes, so a block can be
 * initialised without shape inference: children are initialised with whatever input shape was given.
 */
public abstract class ModuleBlock extends AbstractBlock {

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    /** The block on one array: (N, C, H, W) in, (N, C', H', W') out. */
    public abstract NDArray apply(ParameterStore ps, NDArray x, boolean training);

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    protected static NDArray relu(NDArray x) {
        return x.getNDArrayInternal().relu();
    }

    /**
     * ReLU of an intermediate result that nothing else uses: its handle is closed right away. Closing a handle
     * never frees what autograd saved for backward (torch keeps its own reference); it frees what torch would free
     * itself, instead of keeping every intermediate alive until the step's manager closes.
     */
    protected static NDArray reluAndClose(NDArray x) {
        NDArray y = relu(x);
        x.close();
        return y;
    }

    protected static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return p == null ? null : ps.getValue(p, like.getDevice(), training);
    }

    /** Output size of a convolution or pooling window along one spatial axis. */
    protected static long convOut(long size, int kernel, int stride, int padding, int dilation) {
        return (size + 2L * padding - (long) dilation * (kernel - 1) - 1) / stride + 1;
    }
}
