package org.semiseg.method;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.config.ConfigLoader;
import org.semiseg.method.cct.Perturbation;
import org.semiseg.model.ModelSpec;
import org.semiseg.model.Models;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.SegmentationNet;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cct} wired on the platform (Ouali et al., CVPR 2020, Sec. 3.1: L = L_s + ω_u L_u): its block's checks, the
 * decoders it declares, what it logs, and where L_u's gradient goes. The perturbations and the loss are tested by
 * hand in {@code org.semiseg.method.cct}.
 */
class CctTest {
    private static final int C = MethodsTest.CLASSES;

    private static ConfigException refused(String... overrides) {
        return assertThrows(ConfigException.class, () -> Methods.create(MethodsTest.config("cct", overrides)));
    }

    @Test
    void theBlockRefusesBadValuesNamingTheKey() {
        ConfigException unknown = refused("method.cct.decoders={vat: 2, blur: 1}");
        assertTrue(unknown.getMessage().contains("method.cct.decoders") && unknown.getMessage().contains("'blur'")
                && unknown.getMessage().contains(String.join(", ", Perturbation.keys())), unknown.getMessage());
        assertTrue(refused("method.cct.decoders={vat: -1}").getMessage().contains("method.cct.decoders.vat"));
        assertTrue(refused("method.cct.decoders={vat: 0}").getMessage().contains("at least one decoder"));
        assertTrue(refused("method.cct.drop_threshold=[0.9, 0.7]").getMessage().contains("method.cct.drop_threshold"));
        assertTrue(refused("method.cct.dropout=1").getMessage().contains("method.cct.dropout"));
        assertTrue(refused("method.cct.vat.xi=0").getMessage().contains("method.cct.vat.xi"));
        assertTrue(refused("method.cct.confidence=1.5").getMessage().contains("method.cct.confidence"));
        // max p > 1 never holds: L_u would be 0 for the whole run
        assertTrue(refused("method.cct.confidence=1").getMessage().contains("method.cct.confidence"));
        assertTrue(refused("method.cct.object_classes=[]").getMessage().contains("method.cct.object_classes"));
        assertTrue(refused("method.cct.noise=1.5").getMessage().contains("method.cct.noise"));
        assertTrue(refused("method.cct.reference_crop=100").getMessage().contains("multiple of 8"));
        Methods.create(MethodsTest.config("cct", "method.cct.confidence=0.99", "method.cct.noise=1",
                "method.cct.reference_crop=104"));
        ConfigException cls = assertThrows(ConfigException.class,
                () -> MethodsTest.Rig.of(MethodsTest.config("cct", "method.cct.object_classes=[b, car]")));
        assertTrue(cls.getMessage().contains("method.cct.object_classes") && cls.getMessage().contains("'car'"),
                cls.getMessage());
    }

    @Test
    void defaultsAreTheAuthorsThirtyDecoders() {
        Cct.Settings s = ConfigLoader.readBlock(ConfigLoader.load(null, List.of()).method().block("cct"),
                Cct.Settings.class, "cct");
        assertEquals(Perturbation.authorsCounts(), s.counts());
        assertEquals(30, s.counts().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(List.of(0.6, 0.9), s.dropThreshold());   // the paper's range
        assertEquals(new Cct.Vat(1e-6, 2.0), s.vat());
        Cct.Settings one = ConfigLoader.readBlock(ConfigLoader.load(null, List.of("method.cct.decoders={vat: 2}"))
                .method().block("cct"), Cct.Settings.class, "cct");
        for (Map.Entry<Perturbation, Integer> e : one.counts().entrySet()) {
            assertEquals(e.getKey() == Perturbation.VAT ? 2 : 0, e.getValue(), e.getKey().key());
        }
    }

    /** CamVid's class 0 is Sky, not background: its config names the thing classes, each a CamVid class. */
    @Test
    void camvidConfigNamesItsThingClasses() {
        Config c = ConfigLoader.load(java.nio.file.Path.of("configs/camvid.yaml"), List.of("method.name=cct"));
        Cct.Settings s = ConfigLoader.readBlock(c.method().block("cct"), Cct.Settings.class, "cct");
        assertEquals(List.of("Pole", "SignSymbol", "Car", "Pedestrian", "Bicyclist"), s.objectClasses());
        assertTrue(org.semiseg.data.sets.CamVidLayout.CLASSES.containsAll(s.objectClasses()));
    }

    /**
     * The 30 decoders are one trained module, stacked as grouped convolutions: project (30·C, F, 1, 1) on layer4's F
     * channels, and log2(16) = 4 upsampling blocks at output stride 16. L_u = ω_u · mean over the 30 decoders, so
     * loss_unsup = ω_u · Σ_kind count · loss_unsup_kind / 30; ω_u at iteration 0 of 100 is 30 e^−5.
     */
    @Test
    void thirtyDecodersOneModuleAndTheLossIsTheirWeightedMean() {
        try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("cct"))) {
            Module m = rig.setup().modules().get(0);
            assertEquals("cct_decoders", m.name());
            assertEquals(List.of("cct_decoders.project.weight", "cct_decoders.up1.weight", "cct_decoders.up1.bias"),
                    List.copyOf(m.parameters().keySet()).subList(0, 3));
            assertTrue(m.parameters().containsKey("cct_decoders.up4.bias"));
            int f = rig.student().highLevelChannels();
            assertEquals(new Shape(30L * C, f, 1, 1), m.parameters().get("cct_decoders.project.weight").getArray().getShape());
            assertEquals(rig.config().train().headLrMultiplier(), m.lrMultiplier());

            Map<String, Double> v = rig.step(0).values();
            double omega = 30 * Math.exp(-5);
            assertEquals(omega, v.get("unsup_weight"), 1e-9);
            double weighted = 0;
            for (Perturbation p : Perturbation.values()) {
                double d = v.get("loss_unsup_" + p.key());
                assertTrue(d > 0, p.key() + ": " + d);
                weighted += p.authorsCount() * d;
            }
            assertEquals(omega * weighted / 30, v.get("loss_unsup"), 1e-5 * v.get("loss_unsup"));
            assertTrue(v.get("loss_sup") > 0);
        }
    }

    /** One kind alone (the ablation): only its term is logged, and L_u is ω_u times it. */
    @Test
    void oneKindAloneTrainsAndLogsOnlyItself() {
        for (Perturbation p : Perturbation.values()) {
            try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("cct",
                    "method.cct.decoders={" + p.key() + ": 2}", "method.cct.min_contour=0"))) {
                Map<String, Double> v = rig.step(3).values();
                List<String> kinds = v.keySet().stream().filter(k -> k.startsWith("loss_unsup_")).toList();
                assertEquals(List.of("loss_unsup_" + p.key()), kinds);
                assertEquals(v.get("unsup_weight") * v.get("loss_unsup_" + p.key()), v.get("loss_unsup"),
                        1e-6 + 1e-5 * v.get("loss_unsup"), p.key());
                assertTrue(Double.isFinite(v.get("loss_unsup")), p.key());
            }
        }
    }

    /**
     * The target of L_u is the main decoder's prediction, detached: back-propagating loss_unsup alone leaves the main
     * decoder (ASPP, decoder, classifier) without gradient, and reaches the encoder and the auxiliary decoders; with
     * two kinds and with each kind alone (one kind once reached no encoder: DJL's concat of one array detaches it).
     * Two decoders each: at this rig's size (F = 64, stride 16, C = 3: four ReLU blocks of 3 to 12 channels) a single
     * decoder can start dead, all its ReLUs at zero, and then passes no gradient at all, as the authors' design
     * allows (their blocks end in a ReLU too).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"{dropout: 2, vat: 1}", "{dropout: 2}", "{feature_drop: 2}",
        "{feature_noise: 2}", "{vat: 2}", "{guided_cutout: 2}", "{context_masking: 2}", "{object_masking: 2}"})
    void theUnsupervisedTermTrainsEncoderAndAuxiliaryDecodersButNotTheMainDecoder(String decoders) {
        try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("cct", "method.cct.decoders=" + decoders,
                "method.cct.min_contour=0"));
             NDManager step = rig.manager().newSubManager()) {
            Step ctx = rig.context(step, 20);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(rig.method().step(ctx).losses().get("unsup"));
            }
            Map<String, Parameter> student = ParameterNames.of(rig.student());
            for (Map.Entry<String, Parameter> e : student.entrySet()) {
                if (!e.getValue().requiresGradient()) {
                    continue;
                }
                float g = gradientSum(e.getValue());
                if (e.getKey().startsWith("backbone.")) {
                    continue;
                }
                assertEquals(0f, g, 0f, e.getKey() + " is part of the main decoder");
            }
            assertTrue(gradientSum(student.get("backbone.layer4.1.conv2.weight")) > 0, "the encoder learns from L_u ("
                    + decoders + ")");
            for (Parameter p : rig.setup().modules().get(0).parameters().values()) {
                assertTrue(gradientSum(p) > 0, "auxiliary decoder parameter " + p.getName());
            }
        }
    }

    private static float gradientSum(Parameter p) {
        try (NDArray g = p.getArray().getGradient()) {
            return g.abs().sum().getFloat();
        }
    }

    /** CCT on its authors' network: pspnet's encoder output (the pyramid pooling) is what the decoders perturb. */
    @Test
    void runsOnPspnet() {
        Config config = MethodsTest.config("cct", "model.arch=pspnet", "model.output_stride=8");
        NDManager manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(3);
        SegmentationNet net = Models.build(new ModelSpec("pspnet", "resnet18", 8, 0.125, C));
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, MethodsTest.H, MethodsTest.W));
        Method method = Methods.create(config);
        MethodSetup setup = new MethodSetup(config, net, manager, List.of("a", "b", "c"), 4, new long[] {50, 30, 20});
        method.initialize(setup);
        try (MethodsTest.Rig rig = new MethodsTest.Rig(config, method, setup, net, manager,
                new ParameterStore(manager, false))) {
            assertEquals(new Shape(30L * C, net.highLevelChannels(), 1, 1),
                    setup.modules().get(0).parameters().get("cct_decoders.project.weight").getArray().getShape());
            assertTrue(setup.modules().get(0).parameters().containsKey("cct_decoders.up3.bias"));
            assertFalse(setup.modules().get(0).parameters().containsKey("cct_decoders.up4.bias"), "stride 8: 3 blocks");
            Map<String, Double> v = rig.step(0).values();
            assertTrue(v.get("loss_unsup") > 0 && Double.isFinite(v.get("loss_sup")), v.toString());
        }
    }
}
