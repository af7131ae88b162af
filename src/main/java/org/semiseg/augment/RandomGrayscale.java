package org.semiseg.augment;

import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;

import java.util.SplittableRandom;

/**
 * With probability {@code probability}, replaces every channel of the (3, H, W) image by its grayscale value
 * {@code 0.2989 R + 0.587 G + 0.114 B} (torchvision's {@code RandomGrayscale} with three output channels, the weights
 * of {@link ColorJitter}); the mask is untouched. UniMatch's strong view uses probability 0.2. Consumes one value of
 * the generator.
 */
public record RandomGrayscale(double probability) implements BatchLoader.Transform {
    public RandomGrayscale {
        Checks.probability("grayscale probability", probability);
    }

    @Override
    public Sample apply(Sample s, SplittableRandom rng) {
        if (!Checks.chance(rng, probability)) {
            return s;
        }
        return new Sample(s.id(), gray(s.image()), s.mask(), s.height(), s.width());
    }

    /** The (3, H, W) image with each pixel's grayscale value in all three channels; {@code rgb} is not modified. */
    public static float[] gray(float[] rgb) {
        int plane = rgb.length / 3;
        float[] out = new float[rgb.length];
        for (int i = 0; i < plane; i++) {
            float g = ColorJitter.GRAY_R * rgb[i] + ColorJitter.GRAY_G * rgb[plane + i] + ColorJitter.GRAY_B * rgb[2 * plane + i];
            out[i] = g;
            out[plane + i] = g;
            out[2 * plane + i] = g;
        }
        return out;
    }
}
