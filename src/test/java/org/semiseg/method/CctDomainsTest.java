package org.semiseg.method;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.model.ModelSpec;
import org.semiseg.model.Models;
import org.semiseg.model.SegmentationNet;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With several domains, {@code method.cct.object_classes} may name any domain's classes: each domain's cct takes its
 * own and skips the other domains'; a name of no domain is still refused.
 */
class CctDomainsTest {
    private static void initialize(Config config, List<String> classes, List<String> otherDomains) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            SegmentationNet net = Models.build(new ModelSpec("deeplabv3plus", "resnet18", 16, 0.125, classes.size()));
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Methods.create(config).initialize(new MethodSetup(config, net, manager, classes, 4,
                    new long[classes.size()], otherDomains));
        }
    }

    @Test
    void objectClassesMayNameAnotherDomainsClasses() {
        Config config = MethodsTest.config("cct", "method.cct.object_classes=[car, disc]", "method.cct.decoders={vat: 1}");
        initialize(config, List.of("road", "car"), List.of("background", "disc"));
        initialize(config, List.of("background", "disc"), List.of("road", "car"));
        ConfigException none = assertThrows(ConfigException.class,
                () -> initialize(config, List.of("road", "car"), List.of("background", "box")));
        assertTrue(none.getMessage().contains("method.cct.object_classes") && none.getMessage().contains("'disc'"),
                none.getMessage());
        assertThrows(ConfigException.class, () -> initialize(config, List.of("road", "car"), List.of()),
                "a run on one dataset refuses a class it does not have");
    }
}
