package org.semiseg.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDemoConfig() {
        Config c = ConfigLoader.load(null, List.of());
        assertEquals("demo", c.data().dataset());
        assertEquals("classmix", c.method().name()); // issue 23: the demo trains the method README recommends
        assertTrue(c.train().iterations() > 0);
    }

    @Test
    void unquotedOffIsTheCheckModeNotABoolean() {
        // YAML 1.1 reads `off` as false; `data.check: off` is what a user writes
        assertEquals("off", ConfigLoader.load(null, List.of("data.check=off")).data().check());
        assertEquals("fast", ConfigLoader.load(null, List.of("data.check=fast")).data().check());
    }

    @Test
    void overridesApplyInOrderAndParseYamlValues() {
        Config c = ConfigLoader.load(null, List.of("train.iterations=50", "train.lr=0.5", "eval.scales=[0.5, 1.0]",
                "train.iterations=60", "model.pretrained=/x/y.safetensors"));
        assertEquals(60, c.train().iterations());
        assertEquals(0.5, c.train().lr());
        assertEquals(List.of(0.5, 1.0), c.eval().scales());
        assertEquals("/x/y.safetensors", c.model().pretrained());
    }

    @Test
    void fileIsMergedOntoDefaults() throws Exception {
        Path f = dir.resolve("small.yaml");
        Files.writeString(f, "train:\n  iterations: 7\nmodel:\n  backbone: resnet50\n");
        Config c = ConfigLoader.load(f, List.of());
        assertEquals(7, c.train().iterations());
        assertEquals("resnet50", c.model().backbone());
        assertEquals(8, c.train().batchSize(), "untouched keys keep their defaults");
    }

    @Test
    void unknownKeyIsNamedWithTheAllowedOnes() throws Exception {
        Path f = dir.resolve("typo.yaml");
        Files.writeString(f, "train:\n  iteratons: 7\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, List.of()));
        assertTrue(e.getMessage().contains("train.iteratons"), e.getMessage());
        assertTrue(e.getMessage().contains("iterations"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        ConfigException s = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("nope.x=1")));
        assertTrue(s.getMessage().contains("nope.x"), s.getMessage());
    }

    @Test
    void wrongTypeNamesKeyAndExpectedType() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("train.iterations=many")));
        assertTrue(e.getMessage().contains("train.iterations"), e.getMessage());
        assertTrue(e.getMessage().contains("integer"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void outOfRangeValuesAreRefused() {
        ConfigException lr = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("train.lr=-0.1")));
        assertTrue(lr.getMessage().contains("train.lr") && lr.getMessage().contains("positive"), lr.getMessage());
        ConfigException os = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("model.arch=deeplabv2", "model.output_stride=16")));
        assertTrue(os.getMessage().contains("model.output_stride"), os.getMessage());
        ConfigException share = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of("data.labeled=1/0")));
        assertTrue(share.getMessage().contains("data.labeled"), share.getMessage());
    }

    @Test
    void malformedAndMissingFilesAreNamed() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "train: [1, 2\n  x: }\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(bad, List.of()));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("YAML"), e.getMessage());
        Path missing = dir.resolve("missing.yaml");
        ConfigException m = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, List.of()));
        assertTrue(m.getMessage().contains("does not exist"), m.getMessage());
    }

    @Test
    void resolvedYamlRoundTrips() throws Exception {
        Config c = ConfigLoader.load(null, List.of("train.iterations=33", "data.labeled=all"));
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, ConfigLoader.toYaml(c));
        assertEquals(c, ConfigLoader.loadResolved(f));
    }

    @Test
    void labeledShareParsesEveryForm() {
        assertEquals(64, LabeledShare.parse("k", "1/8").of(512));
        assertEquals(46, LabeledShare.parse("k", "46").of(367));
        assertEquals(367, LabeledShare.parse("k", "all").of(367));
        assertEquals(1, LabeledShare.parse("k", "0.001").of(10));
    }
}
