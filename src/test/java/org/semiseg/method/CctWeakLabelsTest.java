package org.semiseg.method;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import org.semiseg.model.ParameterNames;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cct} with weak labels (Ouali et al., CVPR 2020: L = L_s + ω_u L_u + ω_w L_w): it asks for the tagged
 * images' pseudo-masks, logs L_w and ω_w, and L_w reaches the auxiliary decoders.
 */
class CctWeakLabelsTest {
    private static final int B = MethodsTest.B;
    private static final int H = MethodsTest.H;
    private static final int W = MethodsTest.W;

    /** The batch of {@code ctx} with pseudo-masks on its unlabeled images: image 0 labeled class 1 on its left half. */
    private static Step withPseudoMasks(Step ctx) {
        long[] labels = new long[B * H * W];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < H * W && i % W < W / 2 ? 1 : MethodsTest.IGNORE;
        }
        NDArray pseudo = ctx.manager().create(labels, new Shape(B, H, W));
        Batch.Unlabeled u = ctx.unlabeled();
        Batch batch = new Batch(ctx.labeled(), new Batch.Unlabeled(u.weak(), u.padding(), u.strong(), pseudo), ctx.source());
        return new Step(ctx.student(), ctx.parameters(), ctx.manager(), batch, ctx.classWeight(), ctx.ignoreIndex(),
                ctx.seed(), ctx.iteration(), ctx.iterations());
    }

    @Test
    void cctAsksForPseudoMasksUnlessItsWeightIsZero() {
        assertTrue(Methods.create(MethodsTest.config("cct")).inputs().weakLabels());
        assertFalse(Methods.create(MethodsTest.config("cct", "method.cct.weak_weight=0")).inputs().weakLabels());
        assertFalse(Methods.create(MethodsTest.config("unimatch")).inputs().weakLabels());
    }

    @Test
    void theWeakTermIsLoggedWeightedAndTrainsTheDecoders() {
        try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("cct", "method.cct.decoders={dropout: 2, feature_noise: 1}"));
             NDManager step = rig.manager().newSubManager()) {
            Step ctx = withPseudoMasks(rig.context(step, 5));
            StepResult result;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                result = rig.method().step(ctx);
                collector.backward(result.losses().get("weak"));
            }
            assertEquals(WeakLabelsWeight.AT_5_OF_100, result.values().get("weak_weight"), 1e-9);
            assertTrue(result.losses().get("weak").getFloat() > 0);
            // a quarter of the batch's pixels: image 0's left half
            assertEquals(0.25, result.scalars().get("weak_pixels").getFloat(), 1e-6);
            NDArray project = rig.setup().modules().get(0).parameters().get("cct_decoders.project.weight").getArray();
            try (NDArray g = project.getGradient()) {
                assertTrue(g.abs().sum().getFloat() > 0, "L_w reaches the auxiliary decoders");
            }
        }
    }

    /**
     * Decoders in passes of a few (the step's chunking, {@link org.semiseg.method.cct.Passes#chunk}) give the losses
     * and gradients of one pass:
     * L_u's per-decoder terms are concatenated, and L_w, a mean over decoders that all see the same labeled pixels,
     * is the passes' means weighted by their share of K. Same batch, same draws; passes of 2 + 1 decoders against all
     * 3 (unequal passes, so a weight of 1/passes instead of k/K would show), the decoders' and the encoder's gradients.
     */
    @Test
    void decodersInPassesGiveTheLossesAndGradientsOfOnePass() {
        float[][] losses = new float[2][];
        float[][] decoderGradients = new float[2][];
        float[][] encoderGradients = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("cct",
                    "method.cct.decoders={dropout: 2, feature_noise: 1}"));
                 NDManager step = rig.manager().newSubManager()) {
                if (run == 1) {
                    ((Cct) rig.method()).decodersPerPass(2);
                }
                Step ctx = withPseudoMasks(rig.context(step, 5));
                StepResult result;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    result = rig.method().step(ctx);
                    collector.backward(result.losses().get("unsup").add(result.losses().get("weak")));
                }
                losses[run] = new float[] {result.losses().get("unsup").getFloat(),
                    result.losses().get("weak").getFloat(), result.scalars().get("loss_unsup_dropout").getFloat(),
                    result.scalars().get("loss_unsup_feature_noise").getFloat()};
                decoderGradients[run] = gradient(rig.setup().modules().get(0).parameters()
                        .get("cct_decoders.project.weight"));
                encoderGradients[run] = gradient(ParameterNames.of(rig.student()).get("backbone.layer4.1.conv2.weight"));
            }
        }
        assertTrue(losses[0][0] > 0 && losses[0][1] > 0, Arrays.toString(losses[0]));
        assertArrayEquals(losses[0], losses[1], 1e-6f * Math.abs(losses[0][0]) + 1e-7f);
        assertArrayEquals(decoderGradients[0], decoderGradients[1], 1e-6f);
        double encoder = 0;
        for (float g : encoderGradients[0]) {
            encoder += Math.abs(g);
        }
        assertTrue(encoder > 0, "the encoder learns from L_u and L_w");
        assertArrayEquals(encoderGradients[0], encoderGradients[1], 1e-6f);
    }

    private static float[] gradient(Parameter p) {
        try (NDArray g = p.getArray().getGradient()) {
            return g.toFloatArray();
        }
    }

    /** Without pseudo-masks on the batch there is no weak term. */
    @Test
    void withoutPseudoMasksNoWeakTerm() {
        try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("cct", "method.cct.decoders={dropout: 1}"))) {
            Map<String, Double> v = rig.step(0).values();
            assertFalse(v.containsKey("loss_weak") || v.containsKey("weak_weight"), v.keySet().toString());
        }
    }

    /** ω_w at iteration 5 of 100 with the default ramp (10 %): 0.4 exp(−5 (1 − 0.5)²). */
    private static final class WeakLabelsWeight {
        static final double AT_5_OF_100 = 0.4 * Math.exp(-1.25);
    }
}
