package org.semiseg.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code data.source}: the labeled source dataset of semi-supervised domain adaptation. */
class SourceConfigTest {
    @TempDir
    Path dir;

    private static ConfigException refused(String... overrides) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of(overrides)));
    }

    @Test
    void defaultsHaveNoSource() {
        SourceConfig s = ConfigLoader.load(null, List.of()).data().source();
        assertFalse(s.enabled());
        assertNull(s.dataset());
        assertNull(s.root());
        assertNull(s.spec());
        assertNull(s.split());
        assertNull(s.resize());
    }

    @Test
    void overridesAreParsedAndPathsMadeAbsolute() {
        SourceConfig demo = ConfigLoader.load(null, List.of("data.source.dataset=demo")).data().source();
        assertTrue(demo.enabled());
        assertEquals("demo", demo.dataset());
        assertNull(demo.root());
        assertNull(demo.split());

        SourceConfig gta = ConfigLoader.load(null, List.of("data.source.dataset=gta5", "data.source.root=data/gta5",
                "data.source.split=all", "data.source.resize=[32, 48]")).data().source();
        assertEquals("gta5", gta.dataset());
        assertEquals(Path.of("data/gta5").toAbsolutePath().normalize().toString(), gta.root());
        assertEquals("all", gta.split());
        assertEquals(32, gta.resize().height());
        assertEquals(48, gta.resize().width());
        assertEquals(0.5, ConfigLoader.load(null, List.of("data.source.dataset=demo", "data.source.resize=0.5"))
                .data().source().resize().factor());
        assertNull(ConfigLoader.load(null, List.of("data.source.dataset=demo")).data().resize(),
                "the target's data.resize is untouched");
    }

    @Test
    void aConfigFileCanSetTheSourceAndTheResolvedYamlRoundTrips() throws Exception {
        Path f = dir.resolve("da.yaml");
        Files.writeString(f, "data:\n  source:\n    dataset: folder\n    root: " + dir + "\n    spec: " + dir.resolve("s.yaml")
                + "\n    resize: 0.25\n");
        Config c = ConfigLoader.load(f, List.of());
        assertEquals("folder", c.data().source().dataset());
        assertEquals(dir.resolve("s.yaml").toString(), c.data().source().spec());
        Path resolved = dir.resolve("resolved.yaml");
        Files.writeString(resolved, ConfigLoader.toYaml(c));
        assertEquals(c, ConfigLoader.loadResolved(resolved));
        assertFalse(ConfigLoader.toYaml(c).contains("enabled"), "enabled() is not a config key");
    }

    @Test
    void badValuesNameTheirKey() {
        ConfigException noRoot = refused("data.source.dataset=gta5");
        assertTrue(noRoot.getMessage().contains("data.source.root") && noRoot.getMessage().contains("gta5"), noRoot.getMessage());
        ConfigException unknown = refused("data.source.dataset=kitti");
        assertTrue(unknown.getMessage().contains("data.source.dataset") && unknown.getMessage().contains("kitti"),
                unknown.getMessage());
        ConfigException orphan = refused("data.source.root=/x");
        assertTrue(orphan.getMessage().contains("data.source.root") && orphan.getMessage().contains("data.source.dataset is null"),
                orphan.getMessage());
        ConfigException spec = refused("data.source.dataset=camvid", "data.source.root=/x", "data.source.spec=/x/d.yaml");
        assertTrue(spec.getMessage().contains("data.source.spec"), spec.getMessage());
        ConfigException unknownKey = refused("data.source.labeled=all");
        assertTrue(unknownKey.getMessage().contains("data.source.labeled") && unknownKey.getMessage().contains("resize"),
                unknownKey.getMessage());
        for (ConfigException e : List.of(noRoot, unknown, orphan, spec, unknownKey)) {
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void aBadResizeNamesTheKeyItSitsUnder() {
        ConfigException source = refused("data.source.dataset=demo", "data.source.resize=[4, 4]");
        assertTrue(source.getMessage().contains("'data.source.resize'"), source.getMessage());
        ConfigException sourceFactor = refused("data.source.dataset=demo", "data.source.resize=-1");
        assertTrue(sourceFactor.getMessage().contains("'data.source.resize'"), sourceFactor.getMessage());
        ConfigException target = refused("data.resize=big");
        assertTrue(target.getMessage().contains("'data.resize'"), target.getMessage());
    }
}
