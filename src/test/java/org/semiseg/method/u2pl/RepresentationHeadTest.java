package org.semiseg.method.u2pl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.semiseg.model.ParameterNames;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** U2PL's representation head g: conv3x3-BN-ReLU-Dropout2d, twice, then conv1x1 (the authors' decoder.py). */
class RepresentationHeadTest {

    @Test
    void shapesAndTheAuthorsParameterNames() {
        try (NDManager m = NDManager.newBaseManager()) {
            RepresentationHead head = new RepresentationHead(6, 4, 0.1);
            head.initialize(m, DataType.FLOAT32, new Shape(1, 6, 8, 8));
            assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                    "4.weight", "4.bias", "5.weight", "5.bias", "5.running_mean", "5.running_var", "8.weight", "8.bias"),
                    List.copyOf(ParameterNames.of(head).keySet()));
            assertEquals(new Shape(4, 4, 3, 3), ParameterNames.of(head).get("4.weight").getArray().getShape());
            assertEquals(new Shape(4, 4, 1, 1), ParameterNames.of(head).get("8.weight").getArray().getShape());
            NDArray x = m.randomUniform(0f, 1f, new Shape(2, 6, 5, 7));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray eval = head.apply(ps, x, false);
            assertEquals(new Shape(2, 4, 5, 7), eval.getShape());
            assertEquals(eval, head.apply(ps, x, false), "no dropout in inference mode");
            assertEquals(new Shape(2, 4, 5, 7), head.forward(ps, new NDList(x), true).singletonOrThrow().getShape());
            assertNotEquals(eval, head.apply(ps, x, true), "training mode: batch statistics and dropout");
        }
    }
}
