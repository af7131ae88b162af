package org.semiseg.method;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
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
     * Decoders in passes of a few (the step's chunking, {@link Cct#chunk}) give the losses and gradients of one pass:
     * L_u's per-decoder terms are concatenated, and L_w, a mean over decoders that all see the same labeled pixels,
     * is the chunks' means weighted by their share of K. Same batch, same draws; one decoder a pass against all 3.
     */
    @Test
    void decodersInChunksGiveTheLossesAndGradientsOfOnePass() {
        float[][] losses = new float[2][];
        float[][] gradients = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("cct",
                    "method.cct.decoders={dropout: 2, feature_noise: 1}"));
                 NDManager step = rig.manager().newSubManager()) {
                if (run == 1) {
                    ((Cct) rig.method()).chunkBytes(1);            // one decoder a pass
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
                try (NDArray g = rig.setup().modules().get(0).parameters().get("cct_decoders.project.weight").getArray()
                        .getGradient()) {
                    gradients[run] = g.toFloatArray();
                }
            }
        }
        assertTrue(losses[0][0] > 0 && losses[0][1] > 0, Arrays.toString(losses[0]));
        assertArrayEquals(losses[0], losses[1], 1e-6f * Math.abs(losses[0][0]) + 1e-7f);
        assertArrayEquals(gradients[0], gradients[1], 1e-6f);
    }

    /** Decoders per pass: 24 MiB over N·C·H·W float32 logits, within [1, K]. */
    @Test
    void chunkKeepsAPassWithinTheBudget() {
        assertEquals(6, Cct.chunk(8, 11, 90, 120, 30, Cct.CHUNK_BYTES));  // 3,801,600 B a decoder: 25,165,824 / it = 6.6
        assertEquals(30, Cct.chunk(8, 6, 64, 64, 30, Cct.CHUNK_BYTES));   // 786,432 B: 32 fit, K = 30 caps it
        assertEquals(1, Cct.chunk(8, 11, 512, 512, 30, Cct.CHUNK_BYTES)); // 92 MB a decoder: still one a pass
        assertEquals(1, Cct.chunk(2, 3, 4, 4, 3, 1));
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
