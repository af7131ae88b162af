package org.semiseg.augment;

import java.util.SplittableRandom;

/**
 * CutMix for segmentation (Yun et al., ICCV 2019; French et al., BMVC 2020) with the box of UniMatch (Yang et al.,
 * CVPR 2023, {@code obtain_cutmix_box}): area a fraction of the image uniform in [0.02, 0.4], aspect ratio
 * (height / width) uniform in [0.3, 1 / 0.3], width {@code int(sqrt(area / ratio))}, height
 * {@code int(sqrt(area * ratio))}, top-left corner uniform over the image; ratio and corner are redrawn until the box
 * lies inside the image. UniMatch's images are square; here the area is a fraction of {@code h * w}. After 1000
 * rejected draws (only possible for very elongated images) the box is clipped to the image and placed uniformly.
 *
 * <p>Pairing as in {@link ClassMix}: output {@code i} pastes the box of image {@code (i + 1) mod n} onto image
 * {@code i} (UniMatch takes the source from a second, independently shuffled batch). The probability is per
 * sample, as UniMatch's {@code p=0.5}: each output independently gets a box or stays its target unchanged.
 */
public final class CutMix {
    /** Smallest box area, as a fraction of the image. */
    public static final double AREA_MIN = 0.02;
    /** Largest box area, as a fraction of the image. */
    public static final double AREA_MAX = 0.4;
    /** Smallest aspect ratio (height / width). */
    public static final double RATIO_MIN = 0.3;
    /** Largest aspect ratio (height / width). */
    public static final double RATIO_MAX = 1 / 0.3;
    private static final int MAX_TRIES = 1000;

    private CutMix() {
    }

    /** Every output gets a box. */
    public static Mixed apply(MixBatch batch, SplittableRandom rng) {
        return apply(batch, 1.0, rng);
    }

    /** Each output gets a box with probability {@code probability}, drawn in index order. */
    public static Mixed apply(MixBatch batch, double probability, SplittableRandom rng) {
        Checks.probability("CutMix probability", probability);
        int n = batch.n();
        int h = batch.h();
        int w = batch.w();
        int plane = h * w;
        byte[] masks = new byte[n * plane];
        for (int i = 0; i < n; i++) {
            if (!Checks.chance(rng, probability)) {
                continue;
            }
            int[] box = box(h, w, rng);
            for (int y = box[0]; y < box[0] + box[2]; y++) {
                int row = i * plane + y * w;
                for (int x = box[1]; x < box[1] + box[3]; x++) {
                    masks[row + x] = 1;
                }
            }
        }
        int[][] pairs = Mixed.nextPairs(n);
        return Mixed.compose(batch, masks, pairs[0], pairs[1]);
    }

    /**
     * One box inside an {@code h} x {@code w} image.
     *
     * @return {top, left, height, width}; height or width may be 0 for tiny images
     */
    public static int[] box(int h, int w, SplittableRandom rng) {
        double area = Checks.uniform(rng, AREA_MIN, AREA_MAX) * h * w;
        int bh = 0;
        int bw = 0;
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            double ratio = Checks.uniform(rng, RATIO_MIN, RATIO_MAX);
            bw = (int) Math.sqrt(area / ratio);
            bh = (int) Math.sqrt(area * ratio);
            int x = rng.nextInt(w);
            int y = rng.nextInt(h);
            if (x + bw <= w && y + bh <= h) {
                return new int[] {y, x, bh, bw};
            }
        }
        bh = Math.min(bh, h);
        bw = Math.min(bw, w);
        return new int[] {rng.nextInt(h - bh + 1), rng.nextInt(w - bw + 1), bh, bw};
    }
}
