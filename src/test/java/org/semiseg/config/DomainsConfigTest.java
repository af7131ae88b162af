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

/** {@code data.domains}: entries inherit the top-level data keys, override their own, and bad ones name their key. */
class DomainsConfigTest {
    private static final String TWO = "data.domains=[{name: shapes, labeled: '1/4'},"
            + " {name: scenes-2, dataset: folder, root: some/folder, batch_size: 3, crop: [16, 24]}]";

    @TempDir
    Path dir;

    private static Config load(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    private static String refused(String... overrides) {
        return assertThrows(ConfigException.class, () -> load(overrides)).getMessage();
    }

    @Test
    void withoutDomainsTheWrittenConfigIsAsBefore() {
        Config c = load();
        assertFalse(c.data().hasDomains());
        assertFalse(ConfigLoader.toYaml(c).contains("domains"), "an empty list is not written");
        assertEquals(1, c.domainConfigs().size());
        assertNull(c.domainConfigs().get(0).getKey());
        assertEquals(c, c.domainConfigs().get(0).getValue());
    }

    @Test
    void entriesInheritTheTopLevelKeysAndOverrideTheirOwn() throws Exception {
        Config c = load("method.name=cct", "data.ignore_index=200", "data.resize=0.5", "train.batch_size=5",
                "augment.crop=[32, 32]", TWO);
        List<DomainConfig> d = c.data().domains();
        assertEquals(List.of("shapes", "scenes-2"), d.stream().map(DomainConfig::name).toList());
        assertEquals("demo", d.get(0).data().dataset());
        assertEquals("1/4", d.get(0).data().labeled());
        assertEquals("1/8", d.get(1).data().labeled(), "inherited");
        assertEquals(200, d.get(1).data().ignoreIndex(), "inherited");
        assertEquals(Path.of("some/folder").toAbsolutePath().normalize().toString(), d.get(1).data().root(),
                "a relative path is resolved as the top-level ones are");
        assertTrue(d.get(0).data().domains().isEmpty());

        Config first = c.forDomain(d.get(0));
        assertEquals(5, first.train().batchSize());
        assertEquals(List.of(32, 32), first.augment().crop());
        Config second = c.forDomain(d.get(1));
        assertEquals(3, second.train().batchSize());
        assertEquals(List.of(16, 24), second.augment().crop());
        assertEquals("folder", second.data().dataset());
        assertEquals(List.of("shapes", "scenes-2"), c.domainConfigs().stream().map(e -> e.getKey()).toList());

        // the written config reads back as the same config
        Path file = dir.resolve("config.yaml");
        String yaml = ConfigLoader.toYaml(c);
        Files.writeString(file, yaml);
        assertEquals(c, ConfigLoader.loadResolved(file));
        // an entry is written with what it does not inherit, so a later --set of a data key reaches it
        assertTrue(yaml.contains("- name: shapes\n    labeled: 1/4\n  - name: scenes-2\n"), yaml);
        Config later = ConfigLoader.load(file, List.of("data.workers=1", "data.ignore_index=100"));
        for (DomainConfig domain : later.data().domains()) {
            assertEquals(1, domain.data().workers());
            assertEquals(100, domain.data().ignoreIndex());
        }
    }

    @Test
    void badEntriesNameTheirKey() {
        assertEquals("the built-in demo config: config key 'data.domains': needs at least 2 domains (got 1); a run on"
                + " one dataset leaves data.domains empty and sets data.* itself", refused("data.domains=[{name: a}]"));
        assertTrue(refused("data.domains=[{name: a}, {name: a}]").contains(
                "config key 'data.domains[1].name': 'a' names an earlier domain too"));
        assertTrue(refused("data.domains=[{name: a}, {labeled: '1/2'}]").contains(
                "config key 'data.domains[1].name': is required"));
        assertTrue(refused("data.domains=[{name: a}, {name: Big_B}]").contains(
                "config key 'data.domains[1].name': must be lower-case letters, digits and dashes"));
        String share = refused("data.domains=[{name: a}, {name: b, labeled: 'lots'}]");
        assertTrue(share.startsWith("the built-in demo config: config key 'data.domains[1].labeled': "), share);
        String unknown = refused("data.domains=[{name: a}, {name: b, labelled: '1/2'}]");
        assertTrue(unknown.startsWith("--set data.domains: unknown key 'data.domains[1].labelled' (allowed under"
                + " data.domains[1]: dataset, root,") || unknown.contains("unknown key 'data.domains[1].labelled'"), unknown);
        assertTrue(refused("data.domains=[{name: a}, {name: b, dataset: camvid}]").contains(
                "config key 'data.domains[1].root': is required for dataset camvid"));
        assertTrue(refused("data.domains=[{name: a}, {name: b, workers: many}]").contains(
                "config key 'data.domains[1].workers': expected an integer"));
        assertTrue(refused("data.domains=[{name: a}, {name: b, batch_size: 0}]").contains(
                "config key 'data.domains[1].batch_size'"));
        assertTrue(refused("data.domains=[{name: a}, {name: b, crop: [4, 4]}]").contains(
                "config key 'data.domains[1].crop': must be [height, width]"));
        assertTrue(refused("data.domains=[a, b]").contains("config key 'data.domains[0]': must be a mapping"));
        assertTrue(refused("data.domains=all").contains("config key 'data.domains': must be a list"));
        assertTrue(refused("data.domains=[{name: a}, {name: b, domains: [{name: c}]}]").contains(
                "unknown key 'data.domains[1].domains'"));
    }

    @Test
    void scopeCutsAreRefusedInOneLine() {
        String teacher = refused("method.name=mean-teacher", "data.domains=[{name: a}, {name: b}]");
        assertTrue(teacher.contains("config key 'method.name': mean-teacher cannot train several domains"), teacher);
        assertTrue(refused("data.weak=all", "data.domains=[{name: a}, {name: b}]")
                .contains("config key 'data.weak': image-level labels are not supported with data.domains"));
        assertTrue(refused("data.domains=[{name: a}, {name: b, weak: '1/2'}]")
                .contains("config key 'data.domains[1].weak'"));
        assertTrue(refused("data.source.dataset=demo", "data.domains=[{name: a}, {name: b}]")
                .contains("config key 'data.source.dataset': a source dataset"));
        for (String m : Config.DOMAIN_METHODS) {
            load("method.name=" + m, "data.domains=[{name: a}, {name: b}]");
        }
    }

    /** The evidence config: CamVid (50 labeled) and the demo (1/8), each with its crop, cct's object classes of both. */
    @Test
    void theCamvidDemoConfigReads() {
        Config c = ConfigLoader.load(Path.of("configs/camvid-demo-domains.yaml"), List.of());
        assertEquals(List.of("camvid", "demo"), c.data().domains().stream().map(DomainConfig::name).toList());
        Config camvid = c.forDomain(c.data().domains().get(0));
        Config demo = c.forDomain(c.data().domains().get(1));
        assertEquals("50", camvid.data().labeled());
        assertEquals(List.of(176, 240), camvid.augment().crop());
        assertEquals(0.5, camvid.data().resize().factor());
        assertEquals("demo", demo.data().dataset());
        assertNull(demo.augment().crop());
        assertNull(demo.data().resize());
        assertEquals(8, demo.train().batchSize());
        assertEquals("cct", c.method().name());
        // the demo alone, as the config's comment says
        Config alone = ConfigLoader.load(Path.of("configs/camvid-demo-domains.yaml"),
                List.of("data.domains=[]", "method.cct.object_classes=null"));
        assertFalse(alone.data().hasDomains());
        assertEquals("demo", alone.data().dataset());
        assertEquals("1/8", alone.data().labeled());
        assertNull(alone.augment().crop());
        assertEquals(c.train(), alone.train());
    }
}
