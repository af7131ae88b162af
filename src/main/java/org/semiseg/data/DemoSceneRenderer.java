package org.semiseg.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Paints one demo scene from one seed; see {@link DemoScenes} for what the scenes contain and why. Painting order:
 * background (noise, stripes, blotches) → background distractors → labeled objects → occluding lines → lighting
 * and pixel noise. The mask always names the top-most thing painted at a pixel's centre.
 */
final class DemoSceneRenderer {
    /** Smallest object diameter as a fraction of the image side. */
    static final double MIN_SIDE_FRACTION = 0.08;
    /** Largest object diameter as a fraction of the image side. */
    static final double MAX_SIDE_FRACTION = 0.5;
    static final int CLASS_COUNT = 6;
    /** Relative frequency of each object class (index 0, background, unused). */
    private static final double[] CLASS_WEIGHTS = {0, 0.7, 1.0, 1.5, 1.0, 1.0};
    private static final double CLASS_WEIGHT_TOTAL = 5.2;

    private final int size;
    private final SplittableRandom random;
    private final float[] image;
    private final int[] mask;
    /** Painting index of the labeled object showing at each pixel; -1 where background shows. */
    private final int[] owner;

    private DemoSceneRenderer(long imageSeed, int size) {
        this.size = size;
        this.random = new SplittableRandom(imageSeed);
        this.image = new float[3 * size * size];
        this.mask = new int[size * size];
        this.owner = new int[size * size];
        java.util.Arrays.fill(owner, -1);
    }

    static DemoScene render(long imageSeed, int size) {
        return new DemoSceneRenderer(imageSeed, size).render();
    }

    private DemoScene render() {
        paintBackground();
        paintDistractors();
        List<Placed> placed = paintObjects();
        paintOccludingLines();
        addLightingAndNoise();
        int[] visible = new int[placed.size()];
        for (int o : owner) {
            if (o >= 0) {
                visible[o]++;
            }
        }
        List<DemoScene.PlacedObject> objects = new ArrayList<>();
        for (int i = 0; i < placed.size(); i++) {
            Placed p = placed.get(i);
            objects.add(new DemoScene.PlacedObject(p.classIndex, 2 * p.frame.radius / size, p.drawnPixels, visible[i]));
        }
        return new DemoScene(image, mask, List.copyOf(objects), size);
    }

    private void paintBackground() {
        float[] a = DemoColours.backgroundColour(random);
        float[] b = DemoColours.backgroundColour(random);
        DemoNoise coarse = new DemoNoise(random, 2 + random.nextInt(4));
        DemoNoise fine = new DemoNoise(random, 7 + random.nextInt(6));
        double contrast = random.nextDouble(1, 2.5);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = (x + 0.5) / size;
                double v = (y + 0.5) / size;
                double t = 0.7 * coarse.at(u, v) + 0.3 * fine.at(u, v);
                t = Math.max(0, Math.min(1, (t - 0.5) * contrast + 0.5));
                blend(y * size + x, a, b, t, 1);
            }
        }
        if (random.nextDouble() < 0.5) {
            float[] colour = DemoColours.backgroundColour(random);
            DemoTexture stripes = DemoTexture.stripes(random.nextDouble(5, 14), random.nextDouble(Math.PI), random.nextDouble());
            double opacity = random.nextDouble(0.15, 0.45);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int i = y * size + x;
                    blend(i, pixel(i), colour, stripes.weight(x + 0.5, y + 0.5, 0, 0), opacity);
                }
            }
        }
        int blotches = 2 + random.nextInt(4);
        for (int k = 0; k < blotches; k++) {
            float[] colour = DemoColours.backgroundColour(random);
            double cx = random.nextDouble(size);
            double cy = random.nextDouble(size);
            double radius = random.nextDouble(0.05, 0.2) * size;
            double opacity = random.nextDouble(0.3, 0.7);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double d = StrictMath.hypot(x + 0.5 - cx, y + 0.5 - cy);
                    double alpha = opacity * Math.max(0, Math.min(1, (radius - d) / (0.5 * radius)));
                    if (alpha > 0) {
                        int i = y * size + x;
                        blend(i, pixel(i), colour, alpha, 1);
                    }
                }
            }
        }
    }

    /** Background-class things that share a shape or a texture with the objects, but never both. */
    private void paintDistractors() {
        int count = 1 + random.nextInt(4);
        for (int k = 0; k < count; k++) {
            Frame frame = randomFrame();
            float[] primary = DemoColours.objectColour(random, 0);
            switch (random.nextInt(3)) {
                case 0 -> paint(frame, DemoShape.randomPolygon(random),
                        random.nextBoolean() ? DemoTexture.flat() : DemoTexture.linearGradient(),
                        primary, DemoColours.secondaryColour(random, primary, 0.15, 0.4), -1, -1);
                case 1 -> paint(frame, DemoShape.randomBlob(random), randomPattern(),
                        primary, DemoColours.secondaryColour(random, primary, 0.1, 0.35), -1, -1);
                default -> paint(frame, line(random.nextDouble(0.6, 1.6) / frame.radius), DemoTexture.flat(),
                        primary, primary, -1, -1);
            }
        }
    }

    private List<Placed> paintObjects() {
        int count = 4 + random.nextInt(4);
        List<Placed> placed = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            int classIndex = randomClass();
            Frame frame = randomFrame();
            if (!placed.isEmpty() && random.nextDouble() < 0.4) {
                frame = nextTo(placed.get(random.nextInt(placed.size())).frame, frame);
            }
            float[] primary = DemoColours.objectColour(random, classIndex);
            float[] secondary = DemoColours.secondaryColour(random, primary, 0.25, 0.5);
            int drawn = switch (classIndex) {
                case 1 -> paint(frame, DemoShape.disc(), DemoTexture.dots(random.nextDouble(4, 6),
                        random.nextDouble(0.8, 1.2), random.nextDouble(Math.PI), random.nextDouble()), primary, secondary, 1, k);
                case 2 -> paint(frame, DemoShape.box(random.nextDouble(0.45, 1)), DemoTexture.stripes(
                        random.nextDouble(3, 5.5), random.nextDouble(Math.PI), random.nextDouble()), primary, secondary, 2, k);
                case 3 -> paint(frame, DemoShape.triangle(), DemoTexture.checkers(random.nextDouble(1.8, 3),
                        random.nextDouble(Math.PI)), primary, secondary, 3, k);
                case 4 -> {
                    double inner = random.nextDouble(0.45, 0.65);
                    yield paint(frame, DemoShape.ring(inner), DemoTexture.radialGradient(inner), primary, secondary, 4, k);
                }
                default -> paint(frame, DemoShape.cross(random.nextDouble(0.25, 0.38)), DemoTexture.linearGradient(),
                        primary, secondary, 5, k);
            };
            placed.add(new Placed(classIndex, frame, drawn));
        }
        return placed;
    }

    /** Now and then a thin background line crosses everything, cutting objects (clutter in front of them). */
    private void paintOccludingLines() {
        if (random.nextDouble() < 0.2) {
            Frame frame = new Frame(random.nextDouble(size), random.nextDouble(size), size, random.nextDouble(Math.PI));
            float[] colour = DemoColours.backgroundColour(random);
            paint(frame, line(random.nextDouble(0.5, 1.0) / size), DemoTexture.flat(), colour, colour, 0, -1);
        }
    }

    private void addLightingAndNoise() {
        double brightness = random.nextDouble(0.85, 1.15);
        double sigma = random.nextDouble(0.015, 0.05);
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            double gain = brightness * random.nextDouble(0.88, 1.12);
            for (int i = 0; i < plane; i++) {
                double value = image[c * plane + i] * gain + sigma * gaussian();
                image[c * plane + i] = (float) Math.max(0, Math.min(1, value));
            }
        }
    }

    /**
     * Paints a shape and returns how many pixels it covered. {@code label} 0 or more writes the mask (and the
     * owner, {@code ownerIndex}); a negative label leaves the mask alone.
     */
    private int paint(Frame frame, DemoShape shape, DemoTexture texture, float[] primary, float[] secondary,
                      int label, int ownerIndex) {
        double cos = StrictMath.cos(frame.angle);
        double sin = StrictMath.sin(frame.angle);
        double shading = random.nextDouble(-0.15, 0.15);
        int x0 = Math.max(0, (int) Math.floor(frame.cx - frame.radius));
        int x1 = Math.min(size - 1, (int) Math.ceil(frame.cx + frame.radius));
        int y0 = Math.max(0, (int) Math.floor(frame.cy - frame.radius));
        int y1 = Math.min(size - 1, (int) Math.ceil(frame.cy + frame.radius));
        int covered = 0;
        float[] colour = new float[3];
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - frame.cx;
                double dy = y + 0.5 - frame.cy;
                double u = (cos * dx + sin * dy) / frame.radius;
                double v = (-sin * dx + cos * dy) / frame.radius;
                if (!shape.contains(u, v)) {
                    continue;
                }
                double w = texture.weight(dx, dy, u, v);
                double light = 1 + shading * u;
                for (int c = 0; c < 3; c++) {
                    colour[c] = (float) (((1 - w) * primary[c] + w * secondary[c]) * light);
                }
                int i = y * size + x;
                blend(i, colour, colour, 0, 1);
                if (label >= 0) {
                    mask[i] = label;
                    owner[i] = ownerIndex;
                }
                covered++;
            }
        }
        return covered;
    }

    /** Thin shapes (triangle) are drawn more often and full ones (disc) less, to even out pixel shares. */
    private int randomClass() {
        double pick = random.nextDouble(CLASS_WEIGHT_TOTAL);
        int classIndex = 1;
        while (classIndex < CLASS_COUNT - 1 && pick >= CLASS_WEIGHTS[classIndex]) {
            pick -= CLASS_WEIGHTS[classIndex];
            classIndex++;
        }
        return classIndex;
    }

    private DemoTexture randomPattern() {
        return switch (random.nextInt(4)) {
            case 0 -> DemoTexture.dots(random.nextDouble(4, 6), random.nextDouble(0.8, 1.2), random.nextDouble(Math.PI), random.nextDouble());
            case 1 -> DemoTexture.stripes(random.nextDouble(3, 5.5), random.nextDouble(Math.PI), random.nextDouble());
            case 2 -> DemoTexture.checkers(random.nextDouble(1.8, 3), random.nextDouble(Math.PI));
            default -> DemoTexture.flat();
        };
    }

    /** A straight band through the whole frame, {@code halfWidth} thick in frame units. */
    private static DemoShape line(double halfWidth) {
        return (u, v) -> Math.abs(u) <= 1 && Math.abs(v) <= halfWidth;
    }

    /**
     * A frame of random size, position and turn. The diameter's square (so the area) is uniform between the min and
     * max fractions: small objects are common, but large ones cover enough pixels to balance background.
     */
    private Frame randomFrame() {
        double fraction = Math.sqrt(random.nextDouble(MIN_SIDE_FRACTION * MIN_SIDE_FRACTION,
                MAX_SIDE_FRACTION * MAX_SIDE_FRACTION));
        double radius = fraction * size / 2;
        return new Frame(random.nextDouble(0.05, 0.95) * size, random.nextDouble(0.05, 0.95) * size, radius,
                random.nextDouble(2 * Math.PI));
    }

    /** Moves {@code frame} so that it overlaps {@code anchor}. */
    private Frame nextTo(Frame anchor, Frame frame) {
        double angle = random.nextDouble(2 * Math.PI);
        double distance = (anchor.radius + frame.radius) * random.nextDouble(0.3, 0.9);
        double cx = Math.max(0, Math.min(size, anchor.cx + distance * StrictMath.cos(angle)));
        double cy = Math.max(0, Math.min(size, anchor.cy + distance * StrictMath.sin(angle)));
        return new Frame(cx, cy, frame.radius, frame.angle);
    }

    private float[] pixel(int i) {
        int plane = size * size;
        return new float[] {image[i], image[plane + i], image[2 * plane + i]};
    }

    /** Writes {@code lerp(a, b, t)} over pixel {@code i} with the given opacity. */
    private void blend(int i, float[] a, float[] b, double t, double opacity) {
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            double target = (1 - t) * a[c] + t * b[c];
            image[c * plane + i] = (float) ((1 - opacity) * image[c * plane + i] + opacity * target);
        }
    }

    /** A standard normal sample (Box-Muller with StrictMath, so every JVM gives the same bytes). */
    private double gaussian() {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    /** Where an object sits: centre in pixels, radius in pixels (half its diameter), turn in radians. */
    private record Frame(double cx, double cy, double radius, double angle) {
    }

    private record Placed(int classIndex, Frame frame, int drawnPixels) {
    }
}
