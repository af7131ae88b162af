package org.semiseg.augment;

import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;

import java.util.SplittableRandom;

/**
 * Random brightness, contrast, saturation and hue, applied with probability {@code probability} to the image only
 * (the mask is untouched). Values stay in [0, 1].
 *
 * <p>Semantics are torchvision's {@code ColorJitter} on float images (kornia, the library the authors call, follows
 * them since 2022; the 2020-21 kornia of their environment added the brightness factor instead of multiplying, kornia
 * issue #565): the four adjustments are applied in a random order, each with its own factor,
 * <ul>
 *   <li>brightness: {@code x * f}, {@code f} uniform in [max(0, 1 - brightness), 1 + brightness];</li>
 *   <li>contrast: {@code f * x + (1 - f) * m}, {@code m} the mean over the image of the grayscale
 *       {@code 0.2989 R + 0.587 G + 0.114 B}, {@code f} uniform in [max(0, 1 - contrast), 1 + contrast];</li>
 *   <li>saturation: {@code f * x + (1 - f) * gray(x)} per pixel, {@code f} uniform in
 *       [max(0, 1 - saturation), 1 + saturation];</li>
 *   <li>hue: the H channel in HSV shifted by {@code d} turns (modulo 1), {@code d} uniform in [-hue, hue].</li>
 * </ul>
 * each result clamped to [0, 1]. An adjustment with strength 0 is skipped and draws nothing.
 *
 * <p>Strengths: Table 1 of Alonso et al. (ICCV 2021), brightness/contrast/saturation/hue 0.15/0.15/0.075/0.05 (weak)
 * and 0.30/0.30/0.15/0.10 (strong), probability 0.2 and 0.8. They follow the authors' pattern
 * {@code ColorJitter(brightness=s, contrast=s, saturation=s/2, hue=s/3)} ({@code colorJitter} in
 * {@code utils/transformsgpu.py} of Shathe/SemiSeg-Contrastive) with s = 0.15 and 0.3. (The released
 * {@code trainSSL.py} passes s = 0.125 and 0.25, and its weak jitter fires with probability 0.25; we use the paper's
 * table.)
 */
public record ColorJitter(double probability, double brightness, double contrast, double saturation, double hue)
        implements BatchLoader.Transform {
    /** Per-pixel luma weights of torchvision's {@code rgb_to_grayscale}. */
    static final float GRAY_R = 0.2989f;
    static final float GRAY_G = 0.587f;
    static final float GRAY_B = 0.114f;

    private static final int BRIGHTNESS = 0;
    private static final int CONTRAST = 1;
    private static final int SATURATION = 2;
    private static final int HUE = 3;

    public ColorJitter {
        Checks.probability("colour jitter probability", probability);
        Checks.nonNegative("brightness", brightness);
        Checks.nonNegative("contrast", contrast);
        Checks.nonNegative("saturation", saturation);
        if (!(hue >= 0 && hue <= 0.5)) {
            throw new IllegalArgumentException("hue must be in [0, 0.5], got " + hue);
        }
    }

    @Override
    public Sample apply(Sample s, SplittableRandom rng) {
        if (!Checks.chance(rng, probability)) {
            return s;
        }
        int[] order = {BRIGHTNESS, CONTRAST, SATURATION, HUE};
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double fb = brightness > 0 ? Checks.uniform(rng, Math.max(0, 1 - brightness), 1 + brightness) : 1;
        double fc = contrast > 0 ? Checks.uniform(rng, Math.max(0, 1 - contrast), 1 + contrast) : 1;
        double fs = saturation > 0 ? Checks.uniform(rng, Math.max(0, 1 - saturation), 1 + saturation) : 1;
        double dh = hue > 0 ? Checks.uniform(rng, -hue, hue) : 0;

        float[] x = s.image().clone();
        for (int op : order) {
            switch (op) {
                case BRIGHTNESS -> {
                    if (brightness > 0) {
                        brightnessInPlace(x, (float) fb);
                    }
                }
                case CONTRAST -> {
                    if (contrast > 0) {
                        contrastInPlace(x, (float) fc);
                    }
                }
                case SATURATION -> {
                    if (saturation > 0) {
                        saturationInPlace(x, (float) fs);
                    }
                }
                default -> {
                    if (hue > 0) {
                        hueInPlace(x, dh);
                    }
                }
            }
        }
        return new Sample(s.id(), x, s.mask(), s.height(), s.width());
    }

    /** {@code rgb * factor}, clamped; {@code rgb} is (3, H, W) and is not modified. */
    public static float[] adjustBrightness(float[] rgb, double factor) {
        float[] x = rgb.clone();
        brightnessInPlace(x, (float) factor);
        return x;
    }

    /** Blend with the mean grayscale value of the image, clamped; {@code rgb} is not modified. */
    public static float[] adjustContrast(float[] rgb, double factor) {
        float[] x = rgb.clone();
        contrastInPlace(x, (float) factor);
        return x;
    }

    /** Blend with the per-pixel grayscale image, clamped; {@code rgb} is not modified. */
    public static float[] adjustSaturation(float[] rgb, double factor) {
        float[] x = rgb.clone();
        saturationInPlace(x, (float) factor);
        return x;
    }

    /** Hue rotated by {@code shift} turns in HSV; {@code rgb} is not modified. */
    public static float[] adjustHue(float[] rgb, double shift) {
        float[] x = rgb.clone();
        hueInPlace(x, shift);
        return x;
    }

    static void brightnessInPlace(float[] x, float f) {
        for (int i = 0; i < x.length; i++) {
            x[i] = clamp(x[i] * f);
        }
    }

    static void contrastInPlace(float[] x, float f) {
        int plane = x.length / 3;
        double sum = 0;
        for (int i = 0; i < plane; i++) {
            sum += GRAY_R * x[i] + GRAY_G * x[plane + i] + GRAY_B * x[2 * plane + i];
        }
        float offset = (1f - f) * (float) (sum / plane);
        for (int i = 0; i < x.length; i++) {
            x[i] = clamp(f * x[i] + offset);
        }
    }

    static void saturationInPlace(float[] x, float f) {
        int plane = x.length / 3;
        float g = 1f - f;
        for (int i = 0; i < plane; i++) {
            float r = x[i];
            float gr = x[plane + i];
            float b = x[2 * plane + i];
            float gray = g * (GRAY_R * r + GRAY_G * gr + GRAY_B * b);
            x[i] = clamp(f * r + gray);
            x[plane + i] = clamp(f * gr + gray);
            x[2 * plane + i] = clamp(f * b + gray);
        }
    }

    static void hueInPlace(float[] x, double shift) {
        int plane = x.length / 3;
        float d = (float) shift;
        for (int i = 0; i < plane; i++) {
            float r = x[i];
            float g = x[plane + i];
            float b = x[2 * plane + i];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float chroma = max - min;
            if (chroma == 0f) {
                continue; // gray: hue undefined, rotation changes nothing
            }
            float v = max;
            float sat = chroma / max;
            float h;
            if (max == r) {
                h = (g - b) / chroma;
            } else if (max == g) {
                h = 2f + (b - r) / chroma;
            } else {
                h = 4f + (r - g) / chroma;
            }
            h = h / 6f + d;
            h -= (float) Math.floor(h);

            float h6 = h * 6f;
            float sector = (float) Math.floor(h6);
            float frac = h6 - sector;
            float p = clamp(v * (1f - sat));
            float q = clamp(v * (1f - sat * frac));
            float t = clamp(v * (1f - sat * (1f - frac)));
            float nr;
            float ng;
            float nb;
            switch (((int) sector) % 6) {
                case 0 -> {
                    nr = v;
                    ng = t;
                    nb = p;
                }
                case 1 -> {
                    nr = q;
                    ng = v;
                    nb = p;
                }
                case 2 -> {
                    nr = p;
                    ng = v;
                    nb = t;
                }
                case 3 -> {
                    nr = p;
                    ng = q;
                    nb = v;
                }
                case 4 -> {
                    nr = t;
                    ng = p;
                    nb = v;
                }
                default -> {
                    nr = v;
                    ng = p;
                    nb = q;
                }
            }
            x[i] = clamp(nr);
            x[plane + i] = clamp(ng);
            x[2 * plane + i] = clamp(nb);
        }
    }

    static float clamp(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}
