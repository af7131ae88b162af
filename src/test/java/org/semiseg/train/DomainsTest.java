package org.semiseg.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.io.CheckpointState;
import org.semiseg.io.Checkpoints;
import org.semiseg.method.Module;
import org.semiseg.method.StepResult;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several domains (CCT, Ouali et al. CVPR 2020, Section 3.4): one shared encoder, a decoder, classifier and auxiliary
 * decoders per domain; a step mixes both domains, each on its own batch; evaluation, checkpoints and resume cover
 * both. The demo ({@code shapes}) and a folder dataset with other classes ({@code fields}, {@link DomainFixtures}).
 */
class DomainsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Config config(String method) {
        return ConfigLoader.load(null, DomainFixtures.twoDomains(DomainFixtures.folder(dir.resolve("fields")), method));
    }

    /**
     * The test: one step of each domain's cct gives finite losses; back-propagating domain A's loss alone
     * reaches the shared encoder and A's own heads (decoder, classifier, auxiliary decoders), and leaves every head of
     * B without gradient; and the other way round.
     */
    @Test
    void eachDomainsLossReachesTheSharedEncoderAndItsOwnHeadsOnly() {
        Config config = config("cct");
        try (TrainSetup setup = TrainSetup.prepare(config, new RunDirectory(dir.resolve("run")), false, false);
             DomainBatches.All all = DomainBatches.All.of(setup.domains(), 0)) {
            List<TrainDomain> domains = setup.domains();
            assertEquals(List.of("shapes", "fields"), domains.stream().map(TrainDomain::name).toList());
            assertEquals(6, domains.get(0).net().spec().numClasses());
            assertEquals(2, domains.get(1).net().spec().numClasses());
            assertEquals(domains.get(0).net().encoderParameters(), domains.get(1).net().encoderParameters());
            ParameterStore ps = new ParameterStore(setup.manager(), false);
            for (DomainBatches d : all.list()) {
                d.take(0);
            }
            for (int a = 0; a < 2; a++) {
                try (NDManager step = setup.manager().newSubManager()) {
                    Engine.getInstance().setRandomSeed(11);
                    List<StepResult> results = new ArrayList<>();
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        for (DomainBatches d : all.list()) {
                            results.add(d.domain().method().step(d.step(step, ps, 0, 6)));
                        }
                        StepResult merged = DomainBatches.merge(domains, results);
                        for (String domain : List.of("shapes", "fields")) {
                            for (String term : List.of("sup", "unsup")) {
                                float v = merged.losses().get(domain + "_" + term).getFloat();
                                assertTrue(Float.isFinite(v) && v >= 0, domain + "_" + term + " = " + v);
                            }
                        }
                        assertTrue(merged.scalars().containsKey("loss_fields_unsup_vat"), merged.scalars().keySet().toString());
                        assertTrue(merged.values().containsKey("fields_unsup_weight"), merged.values().keySet().toString());
                        collector.backward(results.get(a).total());
                    }
                }
                TrainDomain own = domains.get(a);
                TrainDomain other = domains.get(1 - a);
                Map<String, Parameter> first = domains.get(0).savedParameters();
                assertTrue(gradient(first.get("backbone.layer4.1.conv2.weight")) > 0, "the shared encoder learns from "
                        + own.name());
                assertTrue(gradient(first.get("backbone.conv1.weight")) > 0);
                for (Map.Entry<String, Parameter> e : heads(own).entrySet()) {
                    assertTrue(gradient(e.getValue()) > 0, e.getKey() + " of " + own.name());
                }
                for (Map.Entry<String, Parameter> e : heads(other).entrySet()) {
                    assertEquals(0f, gradient(e.getValue()), 0f, e.getKey() + " of " + other.name()
                            + " learns nothing from " + own.name() + "'s loss");
                }
                setup.optimizer().zeroGradients();
            }
        }
    }

    /**
     * A skipped step puts back every domain's BN statistics: the shared encoder's (once, under the first domain's
     * names) and each domain's decoder's, after NaN inputs went through both networks in training mode.
     */
    @Test
    void theStepGuardRestoresEveryDomainsStatistics() {
        Config config = config("cct");
        try (TrainSetup setup = TrainSetup.prepare(config, new RunDirectory(dir.resolve("run")), false, false)) {
            Map<String, Parameter> guarded = setup.guardedParameters();
            assertTrue(guarded.containsKey("backbone.bn1.running_mean"));
            assertFalse(guarded.containsKey("domain.fields.backbone.bn1.running_mean"), "the shared encoder once");
            List<String> fieldsStatistics = guarded.entrySet().stream().filter(e -> !e.getValue().requiresGradient()
                    && e.getKey().startsWith("domain.fields.")).map(Map.Entry::getKey).toList();
            assertFalse(fieldsStatistics.isEmpty(), "the second domain's decoder has BN statistics of its own");
            Map<String, float[]> before = new java.util.LinkedHashMap<>();
            guarded.forEach((n, p) -> {
                if (!p.requiresGradient()) {
                    before.put(n, p.getArray().toFloatArray());
                }
            });
            StepGuard guard = new StepGuard(guarded, setup.manager());
            assertEquals(new java.util.LinkedHashSet<>(before.keySet()), guard.guarded(), "every BN statistic, and "
                    + "only those (this method has no frozen weights)");
            guard.remember();
            ParameterStore ps = new ParameterStore(setup.manager(), false);
            try (NDManager step = setup.manager().newSubManager()) {
                for (TrainDomain d : setup.domains()) {
                    NDArray x = step.full(new ai.djl.ndarray.types.Shape(2, 3, 32, 32), Float.NaN);
                    d.net().forward(ps, new ai.djl.ndarray.NDList(x), true);
                }
            }
            assertTrue(Float.isNaN(guarded.get(fieldsStatistics.get(0)).getArray().toFloatArray()[0]),
                    "the forward pass moved the second domain's statistics");
            guard.restore();
            before.forEach((n, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v,
                    guarded.get(n).getArray().toFloatArray(), n));
        }
    }

    /** A domain's trainable parameters outside the shared encoder: decoder, classifier, auxiliary decoders. */
    private static Map<String, Parameter> heads(TrainDomain d) {
        Map<String, Parameter> out = new java.util.LinkedHashMap<>();
        d.savedParameters().forEach((n, p) -> {
            if (p.requiresGradient() && !d.net().encoderParameters().contains(p)) {
                out.put(n, p);
            }
        });
        for (Module m : d.methodSetup().modules()) {
            m.parameters().forEach((n, p) -> {
                if (p.requiresGradient()) {
                    out.put(n, p);
                }
            });
        }
        assertFalse(out.isEmpty());
        return out;
    }

    private static float gradient(Parameter p) {
        try (NDArray g = p.getArray().getGradient()) {
            return g.abs().sum().getFloat();
        }
    }

    /**
     * Checkpoints name the shared encoder once (the first domain's names), the second domain's own parts
     * {@code domain.fields.*}, its auxiliary decoders {@code domain.fields.cct_decoders.*}; state.json keeps each
     * domain's classes; metrics and eval files are per domain; an interrupted and resumed run equals an
     * uninterrupted one bit for bit.
     */
    @Test
    void aTwoDomainRunCheckpointsEveryDomainAndResumesExactly() throws Exception {
        Config config = config("cct");
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        TrainerTest.train(config, straight, false, -1);
        assertThrows(Trainer.TrainingStopped.class, () -> TrainerTest.train(config, resumed, false, 4));
        TrainerTest.train(config, resumed, true, -1);

        assertEquals(withoutTimings(straight), withoutTimings(resumed));
        for (String file : List.of("model.safetensors", "optimizer.safetensors", Checkpoints.METHOD)) {
            assertEquals(Checkpoints.sha256(straight.resolve("checkpoints/last/" + file)),
                    Checkpoints.sha256(resumed.resolve("checkpoints/last/" + file)), file + " bit-identical");
        }

        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoints.Loaded last = Checkpoints.load(straight.resolve("checkpoints/last"), m);
            assertTrue(last.weights().containsKey("backbone.conv1.weight"));
            assertTrue(last.weights().containsKey("classifier.weight"));
            assertEquals(6, last.weights().get("classifier.weight").getShape().get(0));
            assertEquals(2, last.weights().get("domain.fields.classifier.weight").getShape().get(0));
            assertTrue(last.weights().containsKey("domain.fields.decoder.fuse1.conv.weight")
                    || last.weights().keySet().stream().anyMatch(k -> k.startsWith("domain.fields.decoder.")));
            assertFalse(last.weights().keySet().stream().anyMatch(k -> k.startsWith("domain.fields.backbone.")),
                    "the shared encoder is saved once");
            assertTrue(last.method().keySet().stream().anyMatch(k -> k.startsWith("cct_decoders.")));
            assertTrue(last.method().keySet().stream().anyMatch(k -> k.startsWith("domain.fields.cct_decoders.")));
            CheckpointState state = last.state();
            assertEquals(List.of("shapes", "fields"), state.domains().stream().map(CheckpointState.Domain::name).toList());
            assertEquals(List.of("sky", "grass"), state.domains().get(1).classes().names());
            assertEquals(state.domains().get(0).classes(), state.classes(), "the classes block is the first domain's");
        }

        List<JsonNode> lines = TrainerTest.metricsOf(straight);
        JsonNode step = lines.get(0);
        for (String key : List.of("loss", "loss_shapes_sup", "loss_shapes_unsup", "loss_fields_sup", "loss_fields_unsup",
                "loss_fields_unsup_vat", "shapes_unsup_weight")) {
            assertTrue(step.has(key) && Double.isFinite(step.get(key).asDouble()), key + " in " + step);
        }
        JsonNode eval = lines.stream().filter(l -> l.has("eval")).reduce((x, y) -> y).orElseThrow();
        double a = eval.get("miou_shapes").asDouble();
        double b = eval.get("miou_fields").asDouble();
        assertEquals((a + b) / 2, eval.get("miou").asDouble(), 1e-12);
        assertEquals(eval.get("miou").asDouble(), eval.get("eval").get("mIoU").asDouble(), 1e-12);
        assertTrue(eval.get("eval_fields").get("iou").has("grass"), eval.toString());
        JsonNode json = JSON.readTree(straight.resolve("eval.json").toFile());
        assertEquals(eval.get("miou").asDouble(), json.get("mIoU").asDouble(), 1e-12);
        assertEquals(b, json.get("domains").get("fields").get("mIoU").asDouble(), 1e-12);
        JsonNode fields = JSON.readTree(straight.resolve("eval-fields.json").toFile());
        assertEquals(List.of("sky", "grass"), List.of(fields.get("classNames").get(0).asText(),
                fields.get("classNames").get(1).asText()));
        assertNotNull(JSON.readTree(straight.resolve("eval-shapes.json").toFile()).get("confusionMatrix"));
        assertTrue(Files.isDirectory(straight.resolve("split/fields")), "the folder domain's split files");
        String report = Files.readString(straight.resolve("report.html"));
        assertTrue(report.contains("mIoU per domain") && report.contains("Per-class IoU, fields")
                && report.contains("Per-class IoU, shapes"), "the report's domain section");
    }

    /** Supervised trains both domains too (no unlabeled batches). */
    @Test
    void supervisedTrainsBothDomains() throws Exception {
        Config config = config("supervised");
        Path run = dir.resolve("sup");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (TrainSetup setup = TrainSetup.prepare(config, new RunDirectory(run), false, false)) {
            setup.commit();
            assertEquals("shapes: 8 labeled, 4 val images; fields: 4 labeled, 4 val images", setup.imagesRead());
            new Trainer(setup, new PrintStream(log), done -> false).run();
        }
        JsonNode step = TrainerTest.metricsOf(run).get(0);
        assertTrue(step.has("loss_shapes_sup") && step.has("loss_fields_sup") && !step.has("loss_sup"), step.toString());
        assertTrue(log.toString().contains("(mean of shapes "), log.toString());
    }

    private static List<String> withoutTimings(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode line : TrainerTest.metricsOf(run)) {
            ObjectNode copy = line.deepCopy();
            copy.remove(List.of("data_ms", "compute_ms", "other_ms", "images_per_s"));
            copy.fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("eval") && e.getValue() instanceof ObjectNode o) {
                    o.remove("seconds");
                }
            });
            out.add(copy.toString());
        }
        return out;
    }
}
