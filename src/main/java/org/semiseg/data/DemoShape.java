package org.semiseg.data;

import java.util.SplittableRandom;

/**
 * The silhouette of a demo object in its own frame: {@code (u, v)} are pixel offsets from the object's centre,
 * rotated into the object's orientation and divided by its radius, so every shape fits the unit disc.
 */
@FunctionalInterface
interface DemoShape {
    boolean contains(double u, double v);

    static DemoShape disc() {
        return (u, v) -> u * u + v * v <= 1;
    }

    /** A rectangle whose long side spans [-1, 1] and short side [-aspect, aspect] (scaled to fit the unit disc). */
    static DemoShape box(double aspect) {
        double half = 1 / Math.sqrt(1 + aspect * aspect);
        return (u, v) -> Math.abs(u) <= half && Math.abs(v) <= aspect * half;
    }

    /** An equilateral triangle inscribed in the unit circle, pointing up. */
    static DemoShape triangle() {
        return convexPolygon(new double[] {0, 0.866, -0.866}, new double[] {-1, 0.5, 0.5});
    }

    /** An annulus between radius {@code inner} and 1. */
    static DemoShape ring(double inner) {
        return (u, v) -> {
            double r2 = u * u + v * v;
            return r2 <= 1 && r2 >= inner * inner;
        };
    }

    /** A plus sign whose arms are {@code 2 * armHalfWidth} wide. */
    static DemoShape cross(double armHalfWidth) {
        double reach = Math.sqrt(1 - armHalfWidth * armHalfWidth);
        return (u, v) -> (Math.abs(u) <= armHalfWidth && Math.abs(v) <= reach)
                || (Math.abs(v) <= armHalfWidth && Math.abs(u) <= reach);
    }

    /** A convex polygon around the origin, vertices in order of increasing {@code atan2(y, x)} (y pointing down). */
    static DemoShape convexPolygon(double[] xs, double[] ys) {
        return (u, v) -> {
            int n = xs.length;
            for (int i = 0; i < n; i++) {
                int j = (i + 1) % n;
                double cross = (xs[j] - xs[i]) * (v - ys[i]) - (ys[j] - ys[i]) * (u - xs[i]);
                if (cross < 0) {
                    return false;
                }
            }
            return true;
        };
    }

    /** An irregular convex polygon with 4 to 6 vertices: a background distractor that looks a bit like a box. */
    static DemoShape randomPolygon(SplittableRandom random) {
        int n = 4 + random.nextInt(3);
        double[] xs = new double[n];
        double[] ys = new double[n];
        double step = 2 * Math.PI / n;
        double start = random.nextDouble(2 * Math.PI);
        for (int i = 0; i < n; i++) {
            double angle = start + i * step + random.nextDouble(-0.3, 0.3) * step;
            double radius = random.nextDouble(0.6, 1.0);
            xs[i] = radius * StrictMath.cos(angle);
            ys[i] = radius * StrictMath.sin(angle);
        }
        return convexPolygon(xs, ys);
    }

    /** A union of 2 to 4 overlapping discs: a lumpy background distractor. */
    static DemoShape randomBlob(SplittableRandom random) {
        int n = 2 + random.nextInt(3);
        double[] cx = new double[n];
        double[] cy = new double[n];
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = random.nextDouble(0.35, 0.6);
            double angle = random.nextDouble(2 * Math.PI);
            double distance = random.nextDouble(0, 1 - r[i]);
            cx[i] = distance * StrictMath.cos(angle);
            cy[i] = distance * StrictMath.sin(angle);
        }
        return (u, v) -> {
            for (int i = 0; i < n; i++) {
                double du = u - cx[i];
                double dv = v - cy[i];
                if (du * du + dv * dv <= r[i] * r[i]) {
                    return true;
                }
            }
            return false;
        };
    }
}
