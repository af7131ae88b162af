package org.semiseg.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelSpecTest {

    private static void rejects(String field, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }

    @Test
    void validatesEveryField() {
        rejects("arch", () -> new ModelSpec("unet", "resnet50", 16, 1, 19));
        rejects("backbone", () -> new ModelSpec("deeplabv3plus", "resnet152", 16, 1, 19));
        rejects("outputStride", () -> new ModelSpec("deeplabv3plus", "resnet50", 32, 1, 19));
        rejects("outputStride", () -> new ModelSpec("deeplabv2", "resnet101", 16, 1, 19));
        rejects("width", () -> new ModelSpec("deeplabv2", "resnet101", 8, 0, 19));
        rejects("width", () -> new ModelSpec("deeplabv2", "resnet101", 8, Double.NaN, 19));
        rejects("numClasses", () -> new ModelSpec("deeplabv2", "resnet101", 8, 1, 0));
    }

    @Test
    void scalesChannelsWithAFloorOfEight() {
        ModelSpec spec = new ModelSpec("deeplabv2", "resnet101", 8, 0.25, 19);
        assertEquals(16, spec.scaled(64));
        assertEquals(12, spec.scaled(48));
        assertEquals(8, new ModelSpec("deeplabv2", "resnet101", 8, 0.01, 19).scaled(64));
        assertEquals(2048, new ModelSpec("deeplabv2", "resnet101", 8, 1, 19).scaled(2048));
    }
}
