package org.semiseg.method.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import org.semiseg.model.Interpolation;
import org.semiseg.model.ShuffleDecoder;

import java.util.ArrayList;
import java.util.List;

/**
 * How CCT's K auxiliary decoders are run: in grouped passes of a few, so that no pass's full-resolution arrays pass
 * glibc's mmap threshold (bench/results/cct-cost.md: at the CamVid grid's size the step is about a third faster under
 * glibc's defaults, with the same losses). One pass reads decoders [from, to)'s channels of the stacked perturbed
 * copies and writes their logits; the per-decoder terms are concatenated afterwards.
 */
public final class Passes {
    private Passes() {
    }

    /**
     * The most bytes one pass's auxiliary logits may take (see {@link #chunk}): under the 32 MiB above which glibc
     * maps an array afresh (the launcher's {@code MALLOC_MMAP_THRESHOLD_}, and the ceiling of glibc's own moving
     * threshold), with room for the allocator's headers.
     */
    public static final long CHUNK_BYTES = 30L << 20;

    /**
     * How many auxiliary decoders run per pass: as many as keep their logits before the resize to the image,
     * (N, k·C, s·h, s·w) float32, within {@code budget} bytes. Arrays that size come from the C heap's reused memory
     * (README, "Speed: the memory allocator") instead of being mapped afresh and faulted in every step; each
     * decoder's sums are the same either way (bench/results/cct-cost.md). When even one decoder's logits pass the
     * budget, splitting cannot keep them on the heap and only adds calls: all K run in one pass.
     *
     * @param height s·h, the decoders' output height before the resize (the feature map's height times the stride)
     * @param width  s·w
     */
    public static int chunk(long n, long classes, long height, long width, int decoders, long budget) {
        long perDecoder = n * classes * height * width * Float.BYTES;
        return perDecoder > budget ? decoders : (int) Math.min(decoders, budget / perDecoder);
    }

    /**
     * The stacked copies (N, K·F, h, w) cut into passes of {@code chunk} decoders' channels, the last one shorter when
     * {@code chunk} does not divide K. One split, so backward concatenates the passes' gradients once; slicing each
     * pass out would make each slice's backward a zero-filled array of the whole input.
     */
    public static NDList splitChannels(NDArray input, int decoders, int chunk) {
        long features = input.getShape().get(1) / decoders;
        int passes = (decoders + chunk - 1) / chunk;
        long[] starts = new long[passes - 1];
        for (int i = 1; i < passes; i++) {
            starts[i - 1] = (long) i * chunk * features;
        }
        return input.split(starts, 1);
    }

    /**
     * The K decoders' logits, {@code perPass} decoders a pass, each pass resized to the image and split by decoder:
     * (N, k, C, H, W) per pass, decoders in order (the last pass shorter when {@code perPass} does not divide K).
     *
     * @param input the stacked perturbed copies (N, K·F, h, w), decoder k reading channels [kF, (k+1)F)
     */
    public static List<NDArray> logits(ShuffleDecoder decoders, ParameterStore parameters, NDArray input, int perPass,
                                       long height, long width) {
        int k = decoders.decoders();
        NDList inputs = splitChannels(input, k, perPass);
        List<NDArray> passes = new ArrayList<>();
        for (int from = 0; from < k; from += perPass) {
            int to = Math.min(k, from + perPass);
            NDArray out = Interpolation.bilinear(decoders.apply(parameters, inputs.get(from / perPass), from, to, true),
                    height, width);
            long n = out.getShape().get(0);
            passes.add(out.reshape(n, to - from, out.getShape().get(1) / (to - from), height, width));
        }
        return passes;
    }
}
