package org.semiseg.method;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.config.ConfigLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each method's {@code method.<name>:} block: defaults, validation naming the key, old keys, registered methods. */
class MethodBlocksTest {
    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        Methods.unregister("toy");
    }

    record ToySettings(double strength) {
        ToySettings {
            org.semiseg.config.Check.inRange("method.toy.strength", strength, 0, 1);
        }
    }

    @Test
    void defaultsComeFromTheDemoConfigAndOverridesReachTheBlock() {
        Config c = ConfigLoader.load(null, List.of("method.name=memory-bank", "method.memory-bank.bank.size=64",
                "method.memory-bank.weights.contr=0.2"));
        MemoryBankMethod.Settings s = ConfigLoader.readBlock(c.method().block("memory-bank"),
                MemoryBankMethod.Settings.class, "memory-bank");
        assertEquals(64, s.bank().size());
        assertEquals(0.2, s.weights().contr());
        assertEquals(0.01, s.weights().ent(), "the rest stays at its default");
        MeanTeacher.Settings mt = ConfigLoader.readBlock(c.method().block("classmix"), MeanTeacher.Settings.class,
                "classmix");
        assertEquals(6, mt.sharpen());
        assertEquals(c, ConfigLoader.load(null, List.of("method.name=memory-bank", "method.memory-bank.bank.size=64",
                "method.memory-bank.weights.contr=0.2")), "loading twice gives equal configs");
    }

    @Test
    void badValuesAndUnknownKeysNameTheFullKey() {
        ConfigException bad = assertThrows(ConfigException.class, () -> Methods.create(ConfigLoader.load(null,
                List.of("method.name=memory-bank", "method.memory-bank.bank.size=0"))));
        assertTrue(bad.getMessage().contains("method.memory-bank.bank.size"), bad.getMessage());
        ConfigException shared = assertThrows(ConfigException.class, () -> Methods.create(ConfigLoader.load(null,
                List.of("method.name=classmix", "method.classmix.sharpen=-1"))));
        assertTrue(shared.getMessage().contains("'method.classmix.sharpen'"), "a shared record names this block: "
                + shared.getMessage());
        ConfigException notChosen = assertThrows(ConfigException.class, () -> Methods.create(ConfigLoader.load(null,
                List.of("method.name=supervised", "method.mean-teacher.weights.pseudo=-2"))));
        assertTrue(notChosen.getMessage().contains("method.mean-teacher.weights.pseudo"), notChosen.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                List.of("method.memory-bank.bank.sizes=3")));
        assertTrue(unknown.getMessage().contains("method.memory-bank.bank.sizes"), unknown.getMessage());
    }

    @Test
    void configsFromBeforeTheBlocksStillLoad() throws Exception {
        Path old = dir.resolve("old.yaml");
        Files.writeString(old, """
                method:
                  name: memory-bank
                  weights: {sup: 1.0, pseudo: 0.5, ent: 0.02, contr: 0.3}
                  sharpen: 4
                  bank: {size: 32, dim: null, confidence: 0.9, quality_filter: false, attention: true, features: teacher}
                """);
        Config c = ConfigLoader.load(old, List.of());
        MemoryBankMethod.Settings mb = ConfigLoader.readBlock(c.method().block("memory-bank"),
                MemoryBankMethod.Settings.class, "memory-bank");
        assertEquals(new MemoryBankMethod.Weights(1.0, 0.5, 0.02, 0.3), mb.weights());
        assertEquals(4, mb.sharpen());
        assertEquals(32, mb.bank().size());
        MeanTeacher.Settings mt = ConfigLoader.readBlock(c.method().block("mean-teacher"), MeanTeacher.Settings.class,
                "mean-teacher");
        assertEquals(new MeanTeacher.Weights(1.0, 0.5), mt.weights(), "sup and pseudo reach mean-teacher too");
        Config set = ConfigLoader.load(null, List.of("method.bank.size=16"));
        assertEquals(16, set.method().block("memory-bank").get("bank").get("size").asInt(), "--set with an old key");
    }

    @Test
    void aRegisteredMethodReadsItsOwnBlock() {
        Methods.register("toy", ToySettings.class, (config, s) -> {
            assertEquals(0.25, s.strength());
            return new Supervised();
        });
        Config ok = ConfigLoader.load(null, List.of("method.name=toy", "method.toy.strength=0.25"));
        assertTrue(Methods.create(ok) instanceof Supervised);
        ConfigException bad = assertThrows(ConfigException.class, () -> Methods.create(ConfigLoader.load(null,
                List.of("method.name=toy", "method.toy.strength=3"))));
        assertTrue(bad.getMessage().contains("method.toy.strength"), bad.getMessage());
        ConfigException typo = assertThrows(ConfigException.class, () -> Methods.create(ConfigLoader.load(null,
                List.of("method.name=toy", "method.toy.strenght=0.1"))));
        assertTrue(typo.getMessage().contains("method.toy.strenght"), typo.getMessage());
    }
}
