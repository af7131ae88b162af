package org.semiseg.data;

import java.util.SplittableRandom;

/**
 * Smooth 2-D value noise for the demo backgrounds: random values on a coarse square lattice, interpolated with a
 * smoothstep. {@link #at} takes coordinates in [0, 1] and returns a value in [0, 1].
 */
final class DemoNoise {
    private final int cells;
    private final float[] lattice;

    /** @param cells lattice cells per side; more cells give finer blotches */
    DemoNoise(SplittableRandom random, int cells) {
        this.cells = cells;
        this.lattice = new float[(cells + 1) * (cells + 1)];
        for (int i = 0; i < lattice.length; i++) {
            lattice[i] = (float) random.nextDouble();
        }
    }

    /** Noise value at {@code (u, v)}, both in [0, 1]. */
    float at(double u, double v) {
        double x = clamp(u) * cells;
        double y = clamp(v) * cells;
        int x0 = Math.min((int) x, cells - 1);
        int y0 = Math.min((int) y, cells - 1);
        double fx = smooth(x - x0);
        double fy = smooth(y - y0);
        int row = cells + 1;
        double top = lattice[y0 * row + x0] * (1 - fx) + lattice[y0 * row + x0 + 1] * fx;
        double bottom = lattice[(y0 + 1) * row + x0] * (1 - fx) + lattice[(y0 + 1) * row + x0 + 1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    private static double clamp(double t) {
        return t < 0 ? 0 : t > 1 ? 1 : t;
    }
}
