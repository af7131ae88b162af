package org.semiseg.method;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.junit.jupiter.api.Test;
import org.semiseg.model.ModelSpec;
import org.semiseg.model.Models;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.SegmentationNet;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EmaTeacherTest {
    private static SegmentationNet net(NDManager m, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        SegmentationNet net = Models.build(new ModelSpec("deeplabv3plus", "resnet18", 16, 0.125, 3));
        net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        return net;
    }

    @Test
    void eq2MovesTheTeacherTowardsTheStudent() {
        try (NDManager m = NDManager.newBaseManager()) {
            SegmentationNet student = net(m, 1);
            SegmentationNet copy = net(m, 2);
            EmaTeacher teacher = new EmaTeacher(student, copy, "teacher.");
            Map<String, Parameter> s = ParameterNames.of(student);
            Map<String, Parameter> t = ParameterNames.of(copy);
            String name = "classifier.weight";
            float[] start = t.get(name).getArray().toFloatArray();
            assertArrayEquals(s.get(name).getArray().toFloatArray(), start, "the teacher starts as the student");
            s.get(name).getArray().addi(1f);
            teacher.update(0.9);
            // ξ = 0.9 ξ + 0.1 θ with θ = ξ + 1: every weight moves by 0.1
            float[] after = t.get(name).getArray().toFloatArray();
            for (int i = 0; i < after.length; i++) {
                assertEquals(start[i] + 0.1f, after[i], 1e-6f);
            }
            assertFalse(t.get(name).requiresGradient(), "the teacher is frozen");
        }
    }

    @Test
    void theDecayRampsFromStartToEndAlongACosine() {
        assertEquals(0.995, EmaTeacher.decay(0.995, 1.0, 0, 1000), 1e-12);
        assertEquals(0.9975, EmaTeacher.decay(0.995, 1.0, 500, 1000), 1e-12);
        // a quarter of the way: 1 - 0.005 (1 + cos(pi/4)) / 2 = 0.99573223...
        assertEquals(1 - 0.005 * (1 + Math.sqrt(0.5)) / 2, EmaTeacher.decay(0.995, 1.0, 250, 1000), 1e-12);
        assertEquals(1.0, EmaTeacher.decay(0.995, 1.0, 1000, 1000), 1e-12);
    }

    @Test
    void stateRoundTripsAndAMissingArrayIsNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            SegmentationNet student = net(m, 1);
            EmaTeacher a = new EmaTeacher(student, net(m, 2), "teacher.");
            ParameterNames.of(student).get("classifier.bias").getArray().addi(3f);
            a.update(0.5);
            Map<String, NDArray> saved = new java.util.HashMap<>();
            a.state().forEach(x -> saved.put(x.getName(), x.duplicate()));
            EmaTeacher b = new EmaTeacher(net(m, 4), net(m, 5), "teacher.");
            b.loadState(saved);
            assertArrayEquals(saved.get("teacher.classifier.bias").toFloatArray(),
                    b.arrays().get("classifier.bias").toFloatArray());
            saved.remove("teacher.aspp.project.conv.weight");
            saved.remove(saved.keySet().iterator().next());
            var e = assertThrows(IllegalArgumentException.class, () -> b.loadState(saved));
            assertFalse(e.getMessage().isEmpty());
        }
    }
}
