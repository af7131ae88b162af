package org.semiseg.augment;

import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A {@code cropH} x {@code cropW} window at a random position; the output has exactly that size.
 *
 * <p>Along each axis the window's offset is drawn uniformly from the integers between 0 and
 * {@code size - crop}: inside the image when it is larger than the window (an ordinary random crop), and
 * negative when it is smaller, which places the image at a random position inside the window. Pixels of the
 * window outside the image are padding: 0 (black) in every image channel, as the authors pad
 * ({@code nn.ConstantPad2d(..., 0)} in {@code random_scale_crop}, {@code utils/transformsgpu.py} of
 * Shathe/SemiSeg-Contrastive), and {@code ignoreIndex} in the mask, so padding never enters the loss. (The authors
 * centre the image when padding; the random placement here also varies where the border falls.)
 *
 * <p>Consumes two values of the generator.
 */
public record RandomCrop(int cropH, int cropW, int ignoreIndex) implements BatchLoader.Transform {
    public RandomCrop {
        if (cropH <= 0 || cropW <= 0) {
            throw new IllegalArgumentException("crop size must be positive, got " + cropH + "x" + cropW);
        }
    }

    @Override
    public Sample apply(Sample s, SplittableRandom rng) {
        int[] at = draw(s.height(), s.width(), rng);
        return crop(s, at[0], at[1], cropH, cropW, ignoreIndex);
    }

    /**
     * Draws the window's position in an {@code h} x {@code w} image as {@link #apply} does (two values of the
     * generator).
     *
     * @return {top, left}
     */
    public int[] draw(int h, int w, SplittableRandom rng) {
        int top = offset(rng, h, cropH);
        int left = offset(rng, w, cropW);
        return new int[]{top, left};
    }

    private static int offset(SplittableRandom rng, int size, int crop) {
        int lo = Math.min(0, size - crop);
        int hi = Math.max(0, size - crop);
        return lo + rng.nextInt(hi - lo + 1);
    }

    /**
     * The window of size {@code cropH} x {@code cropW} whose top-left corner lies at ({@code top}, {@code left}) in
     * image coordinates (negative or overhanging offsets pad: image 0, mask {@code ignoreIndex}). Returns {@code s}
     * itself when the window is the whole image.
     */
    public static Sample crop(Sample s, int top, int left, int cropH, int cropW, int ignoreIndex) {
        int h = s.height();
        int w = s.width();
        if (top == 0 && left == 0 && cropH == h && cropW == w) {
            return s;
        }
        // Rows and columns of the window that fall inside the image.
        int y0 = Math.max(0, -top);
        int y1 = Math.min(cropH, h - top);
        int x0 = Math.max(0, -left);
        int x1 = Math.min(cropW, w - left);
        int run = Math.max(0, x1 - x0);

        float[] src = s.image();
        float[] image = new float[3 * cropH * cropW];
        for (int c = 0; c < 3 && run > 0; c++) {
            for (int y = y0; y < y1; y++) {
                System.arraycopy(src, (c * h + y + top) * w + x0 + left, image, (c * cropH + y) * cropW + x0, run);
            }
        }
        int[] mask = null;
        if (s.mask() != null) {
            mask = new int[cropH * cropW];
            Arrays.fill(mask, ignoreIndex);
            for (int y = y0; y < y1 && run > 0; y++) {
                System.arraycopy(s.mask(), (y + top) * w + x0 + left, mask, y * cropW + x0, run);
            }
        }
        return new Sample(s.id(), image, mask, cropH, cropW);
    }
}
