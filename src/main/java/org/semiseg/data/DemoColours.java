package org.semiseg.data;

import java.util.SplittableRandom;

/** Colour picking for the demo scenes: HSV to RGB, and class hue ranges that overlap on purpose. */
final class DemoColours {
    /** Centre hue in degrees of each object class (index = class); background (0) takes any hue. */
    private static final double[] CLASS_HUE_CENTRE = {0, 20, 92, 164, 236, 308};
    /**
     * Half-width in degrees of each class's hue range: 75 degrees means neighbouring classes share about half
     * their hues, so colour narrows a pixel down to two or three classes but never to one.
     */
    private static final double CLASS_HUE_SPREAD = 75;

    private DemoColours() {
    }

    /** A saturated-ish primary colour for an object of {@code classIndex} (0 = any hue, for distractors). */
    static float[] objectColour(SplittableRandom random, int classIndex) {
        double hue = classIndex == 0
                ? random.nextDouble(360)
                : CLASS_HUE_CENTRE[classIndex] + random.nextDouble(-CLASS_HUE_SPREAD, CLASS_HUE_SPREAD);
        return hsv(hue, random.nextDouble(0.3, 0.9), random.nextDouble(0.35, 0.95));
    }

    /** The pattern colour paired with {@code primary}: mostly the same hue, lighter or darker; sometimes any hue. */
    static float[] secondaryColour(SplittableRandom random, float[] primary, double minContrast, double maxContrast) {
        double value = Math.max(primary[0], Math.max(primary[1], primary[2]));
        double shift = random.nextDouble(minContrast, maxContrast);
        double newValue = value + shift <= 1 && (value - shift < 0.1 || random.nextBoolean()) ? value + shift : value - shift;
        newValue = Math.max(0.05, Math.min(1, newValue));
        if (random.nextDouble() < 0.25) {
            return hsv(random.nextDouble(360), random.nextDouble(0.2, 0.9), newValue);
        }
        float scale = (float) (newValue / Math.max(value, 1e-3));
        float[] out = new float[3];
        for (int c = 0; c < 3; c++) {
            out[c] = Math.min(1f, primary[c] * scale + (float) random.nextDouble(-0.05, 0.05));
            out[c] = Math.max(0f, out[c]);
        }
        return out;
    }

    /** A dull background colour: any hue, low to medium saturation. */
    static float[] backgroundColour(SplittableRandom random) {
        return hsv(random.nextDouble(360), random.nextDouble(0.05, 0.6), random.nextDouble(0.2, 0.9));
    }

    /** HSV (hue in degrees, saturation and value in [0, 1]) to RGB in [0, 1]. */
    static float[] hsv(double hue, double saturation, double value) {
        double h = ((hue % 360) + 360) % 360 / 60;
        int sector = (int) h;
        double f = h - sector;
        double p = value * (1 - saturation);
        double q = value * (1 - saturation * f);
        double t = value * (1 - saturation * (1 - f));
        double[] rgb = switch (sector) {
            case 0 -> new double[] {value, t, p};
            case 1 -> new double[] {q, value, p};
            case 2 -> new double[] {p, value, t};
            case 3 -> new double[] {p, q, value};
            case 4 -> new double[] {t, p, value};
            default -> new double[] {value, p, q};
        };
        return new float[] {(float) rgb[0], (float) rgb[1], (float) rgb[2]};
    }
}
