package org.semiseg.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.config.ConfigLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The supervised reference curve that a demo run's report draws (issue 23). */
class ReferenceCurveTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    /** A run's config.yaml at the built-in defaults, with {@code overrides}, as train writes it. */
    private static ObjectNode runConfig(String... overrides) throws Exception {
        return (ObjectNode) YAML.readTree(ConfigLoader.toYaml(ConfigLoader.load(null, List.of(overrides))));
    }

    @Test
    void theRecordingHoldsForTheDemoDefaults() throws Exception {
        // when a default that shapes the supervised curve changes, this fails: record the curve again
        // (bench/methods/reference.py) at the new defaults
        ReferenceCurve demo = ReferenceCurve.load(ReferenceCurve.DEMO);
        assertTrue(demo.matches(runConfig()), "configs/demo.yaml's defaults are the recorded settings");
        assertTrue(demo.matches(runConfig("method.name=classmix", "seed=2", "data.split_seed=2",
                "train.eval_every=100")), "the method, seeds and evaluation cadence may differ");
        assertEquals(demo.iterations().length, demo.miou().length);
        assertEquals(1500, demo.iterations()[demo.iterations().length - 1], "evaluations up to the demo's last iteration");
        for (double m : demo.miou()) {
            assertTrue(m > 0.1 && m < 0.5, "mIoU as a fraction, in the demo's range: " + m);
        }
    }

    @Test
    void otherSettingsDoNotMatch() throws Exception {
        ReferenceCurve demo = ReferenceCurve.load(ReferenceCurve.DEMO);
        assertFalse(demo.matches(runConfig("train.iterations=1000")));
        assertFalse(demo.matches(runConfig("data.labeled=1/4")));
        assertFalse(demo.matches(runConfig("model.width=0.5")));
        assertFalse(demo.matches(runConfig("train.class_balancing=false")));
        assertFalse(demo.matches(runConfig("augment.labeled=strong")));
        assertFalse(demo.matches(runConfig("eval.scales=[1.0, 1.5]")));
    }

    @Test
    void valuesCompareByMeaning() throws Exception {
        JsonNode number = YAML.readTree("a: 5.0E-4");
        JsonNode decimal = YAML.readTree("a: 0.0005");
        assertTrue(ReferenceCurve.same(number.get("a"), decimal.get("a")), "5.0E-4 is 0.0005");
        assertTrue(ReferenceCurve.same(YAML.readTree("a: 8").get("a"), YAML.readTree("a: 8.0").get("a")));
        assertFalse(ReferenceCurve.same(YAML.readTree("a: 8").get("a"), YAML.readTree("a: 9").get("a")));
        assertTrue(ReferenceCurve.same(null, YAML.readTree("a: null").get("a")), "a missing key reads as null");
        assertFalse(ReferenceCurve.same(null, YAML.readTree("a: 1").get("a")));
        assertTrue(ReferenceCurve.same(YAML.readTree("a: '1/8'").get("a"), YAML.readTree("a: 1/8").get("a")));
        assertFalse(ReferenceCurve.same(YAML.readTree("a: [1.0]").get("a"), YAML.readTree("a: [1.0, 2.0]").get("a")));
        assertNull(ReferenceCurve.at(YAML.readTree("a: {b: 1}"), "a.c.d"));
    }

    @Test
    void aDemoRunsReportDrawsTheCurveDashedAndSaysWhatItIs() throws Exception {
        Path run = ReportFixtures.fakeRun(dir.resolve("demo-run"), ReportFixtures.CLASSES);
        ObjectNode config = runConfig("method.name=classmix");
        Files.writeString(run.resolve("config.yaml"), YAML.writeValueAsString(config));
        String html = RunReport.build(run);
        ReferenceCurve demo = ReferenceCurve.forRun(config);
        assertNotNull(demo);
        assertTrue(html.contains("data-series=\"" + demo.label() + "\""), "a line for the reference");
        assertTrue(html.contains("stroke-dasharray"), "drawn dashed");
        assertTrue(html.contains("dashed: validation mIoU of supervised runs"), "the caption says what it is");

        Path other = ReportFixtures.fakeRun(dir.resolve("other-run"), ReportFixtures.CLASSES);
        Files.writeString(other.resolve("config.yaml"),
                YAML.writeValueAsString(runConfig("method.name=classmix", "train.iterations=200")));
        String plain = RunReport.build(other);
        assertFalse(plain.contains(demo.label()), "no reference at other settings");
        assertFalse(plain.contains("stroke-dasharray"));
    }
}
