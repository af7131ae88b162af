package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import java.util.ArrayList;
import java.util.List;

/** Reads many scalar arrays with one copy to the host, instead of one read (and sync) per value. */
final class Scalars {
    private Scalars() {
    }

    /** The values of {@code scalars}; the arrays made on the way are closed (the inputs are left open). */
    static float[] read(List<NDArray> scalars) {
        NDList flat = new NDList();
        List<NDArray> made = new ArrayList<>();
        try {
            for (NDArray s : scalars) {
                NDArray f = s.toType(DataType.FLOAT32, false);
                if (f != s) {
                    made.add(f);
                }
                NDArray r = f.reshape(1);
                made.add(r);
                flat.add(r);
            }
            NDArray all = ai.djl.ndarray.NDArrays.concat(flat);
            made.add(all);
            return all.toFloatArray();
        } finally {
            made.forEach(NDArray::close);
        }
    }
}
