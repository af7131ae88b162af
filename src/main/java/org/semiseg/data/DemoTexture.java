package org.semiseg.data;

/**
 * How much of an object's secondary colour shows at a pixel, in [0, 1] (0 = primary colour only).
 *
 * <p>{@code dx, dy} are pixel offsets from the object's centre (so periodic patterns keep their size in pixels on
 * small and large objects alike); {@code u, v} are the object-frame coordinates of {@link DemoShape}.
 */
@FunctionalInterface
interface DemoTexture {
    double weight(double dx, double dy, double u, double v);

    static DemoTexture flat() {
        return (dx, dy, u, v) -> 0;
    }

    /** A square grid of round dots of {@code radius} pixels, {@code period} pixels apart, turned by {@code angle}. */
    static DemoTexture dots(double period, double radius, double angle, double phase) {
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        return (dx, dy, u, v) -> {
            double a = centred((cos * dx + sin * dy) / period + phase) * period;
            double b = centred((-sin * dx + cos * dy) / period + phase) * period;
            return softStep(radius - Math.sqrt(a * a + b * b));
        };
    }

    /** Parallel stripes, half of each {@code period} in the secondary colour. */
    static DemoTexture stripes(double period, double angle, double phase) {
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        return (dx, dy, u, v) -> softStep(period / 4 - Math.abs(centred((cos * dx + sin * dy) / period + phase)) * period);
    }

    /** A checkerboard of {@code cell}-pixel squares turned by {@code angle}. */
    static DemoTexture checkers(double cell, double angle) {
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        return (dx, dy, u, v) -> {
            long a = (long) Math.floor((cos * dx + sin * dy) / cell);
            long b = (long) Math.floor((-sin * dx + cos * dy) / cell);
            return ((a + b) & 1) == 0 ? 0 : 1;
        };
    }

    /** A smooth ramp from the inner edge ({@code inner}) to the outer edge (1) of the object frame. */
    static DemoTexture radialGradient(double inner) {
        return (dx, dy, u, v) -> clamp((Math.sqrt(u * u + v * v) - inner) / (1 - inner));
    }

    /** A smooth ramp across the object frame along {@code u}. */
    static DemoTexture linearGradient() {
        return (dx, dy, u, v) -> clamp((u + 1) / 2);
    }

    /** Offset of {@code t} from the nearest integer, in [-0.5, 0.5]. */
    private static double centred(double t) {
        return t - Math.floor(t + 0.5);
    }

    /** 0 for {@code d <= -0.5}, 1 for {@code d >= 0.5}, linear between: a one-pixel anti-aliased edge. */
    private static double softStep(double d) {
        return clamp(d + 0.5);
    }

    private static double clamp(double t) {
        return t < 0 ? 0 : t > 1 ? 1 : t;
    }
}
