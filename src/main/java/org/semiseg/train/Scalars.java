package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import java.util.List;

/** Reads many scalar arrays with one copy to the host, instead of one read (and sync) per value. */
final class Scalars {
    private Scalars() {
    }

    static float[] read(List<NDArray> scalars) {
        NDList flat = new NDList();
        for (NDArray s : scalars) {
            flat.add(s.toType(DataType.FLOAT32, false).reshape(1));
        }
        return ai.djl.ndarray.NDArrays.concat(flat).toFloatArray();
    }
}
