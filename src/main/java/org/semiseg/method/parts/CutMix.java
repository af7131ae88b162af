package org.semiseg.method.parts;

import org.semiseg.augment.Checks;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.semiseg.loss.GraphSafe;

/**
 * CutMix for segmentation (Yun et al., ICCV 2019; French et al., "Semi-supervised semantic segmentation needs strong,
 * varied perturbations", BMVC 2020): output {@code i} takes a box of item {@code (i + 1) mod n} (the source) and the
 * rest of item {@code i} (the target). The probability is per sample, drawn in index order (as UniMatch's
 * {@code p=0.5}): each output independently gets a box or stays its target. The boxes are drawn on the host (cheap)
 * and the (N, 1, H, W) mask is uploaded with {@link GraphSafe#upload}.
 *
 * <p>Two box rules, {@link Box}: UniMatch's (Yang et al., CVPR 2023) and U2PL's (Wang et al., CVPR 2022).
 */
public final class CutMix {
    /** Smallest UniMatch box area, as a fraction of the image. */
    public static final double AREA_MIN = 0.02;
    /** Largest UniMatch box area, as a fraction of the image. */
    public static final double AREA_MAX = 0.4;
    /** Smallest UniMatch aspect ratio (height / width). */
    public static final double RATIO_MIN = 0.3;
    /** Largest UniMatch aspect ratio (height / width). */
    public static final double RATIO_MAX = 1 / 0.3;
    private static final int MAX_TRIES = 1000;

    /** How a box is drawn inside an H x W image; {@link #draw} gives {top, left, height, width}. */
    public enum Box {
        /**
         * UniMatch's {@code obtain_cutmix_box} ({@code dataset/transform.py} of LiheYoung/UniMatch): area a fraction
         * of the image uniform in [0.02, 0.4], aspect ratio (height / width) uniform in [0.3, 1 / 0.3], width
         * {@code int(sqrt(area / ratio))}, height {@code int(sqrt(area * ratio))}, top-left corner uniform over the
         * image; ratio and corner are redrawn until the box lies inside. UniMatch's crops are square; here the area
         * is a fraction of {@code h * w}. After 1000 rejected draws (only for very elongated images) the box is
         * clipped to the image and placed uniformly. (The rule of the former host-side CutMix, unchanged.)
         */
        UNIMATCH,
        /**
         * U2PL's box: {@code generate_cutout_mask(img_size, ratio=2)} in {@code u2pl/dataset/augmentation.py} of
         * Haochen-Wang409/U2PL, used by {@code generate_unsup_data(mode="cutmix")} (the function other forks call
         * {@code generate_cutmix_mask}). Their code: area {@code H * W / 2}; width
         * {@code np.random.randint(W / 2 + 1, W)}, an integer uniform in [floor(W / 2) + 1, W - 1] (numpy truncates
         * the float low bound, the high bound is exclusive); height {@code np.round(area / width)} (half to even,
         * so between H / 2 and H); left uniform in [0, W - width], top uniform in [0, H - height]. Their mask is 0 in
         * the box and the output is {@code data[i] * mask + data[(i + 1) % n] * (1 - mask)}: the box comes from
         * item (i + 1) mod n, as here. The box is thus always wider than half the image and covers half its area up
         * to rounding of the height. Images narrower than 3 pixels, where numpy's draw fails (empty range), get the
         * full width here. U2PL mixes the whole unlabeled batch with probability 0.5 (one
         * {@code np.random.uniform(0, 1) < 0.5} in {@code train_semi.py}); for that, draw once and call
         * {@link #choose} with probability 1.
         */
        HALF_AREA;

        /**
         * One box inside an {@code h} x {@code w} image.
         *
         * @return {top, left, height, width}; height or width may be 0 for tiny images (UNIMATCH)
         */
        public int[] draw(int h, int w, SplittableRandom rng) {
            if (h <= 0 || w <= 0) {
                throw new IllegalArgumentException("image size must be positive, got " + h + "x" + w);
            }
            return this == UNIMATCH ? uniMatch(h, w, rng) : halfArea(h, w, rng);
        }
    }

    private CutMix() {
    }

    /**
     * Chooses a CutMix for a batch of (N, C, H, W) images.
     *
     * @param m           the manager of the mask (the step's; its device)
     * @param probability per output, the chance of a box; one draw per output in index order, then its box
     * @return the mix, (N, 1, H, W) mask; {@link Mix#none} when no output got a non-empty box
     */
    public static Mix choose(NDManager m, int n, int h, int w, double probability, Box box, SplittableRandom rng) {
        Checks.probability("CutMix probability", probability);
        if (n <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("batch dimensions must be positive, got " + n + "x" + h + "x" + w);
        }
        int plane = h * w;
        float[] mask = new float[n * plane];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            if (!Checks.chance(rng, probability)) {
                continue;
            }
            int[] b = box.draw(h, w, rng);
            for (int y = b[0]; y < b[0] + b[2]; y++) {
                int row = i * plane + y * w;
                for (int x = b[1]; x < b[1] + b[3]; x++) {
                    mask[row + x] = 1;
                }
            }
            any |= b[2] > 0 && b[3] > 0;
        }
        if (!any) {
            return Mix.none(m, n, h, w);
        }
        int[][] pairs = Mix.nextPairs(n);
        NDArray onDevice = GraphSafe.upload(m, mask, new Shape(n, 1, h, w));
        return Mix.of(onDevice, pairs[0], pairs[1], true);
    }

    /** {@link #choose} for a batch of (N, C, H, W) {@code images}, its mask in their manager. */
    public static Mix choose(NDArray images, double probability, Box box, SplittableRandom rng) {
        Shape s = images.getShape();
        return choose(images.getManager(), (int) s.get(0), (int) s.get(2), (int) s.get(3), probability, box, rng);
    }

    private static int[] uniMatch(int h, int w, SplittableRandom rng) {
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

    private static int[] halfArea(int h, int w, SplittableRandom rng) {
        double area = h * (double) w / 2;
        int lo = w / 2 + 1;
        int hi = w - 1;
        int bw = lo <= hi ? lo + rng.nextInt(hi - lo + 1) : w;
        int bh = (int) Math.min(h, Math.rint(area / bw));
        int x = rng.nextInt(w - bw + 1);
        int y = rng.nextInt(h - bh + 1);
        return new int[] {y, x, bh, bw};
    }
}
