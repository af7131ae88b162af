package org.semiseg.data;

import java.util.List;
import java.util.Objects;

/**
 * The built-in demo dataset: procedurally generated, cluttered scenes of five object classes on textured
 * backgrounds, made so that telling the classes apart needs local shape and texture, not colour.
 *
 * <h2>Classes</h2>
 * <table>
 *   <caption>shape and texture of each class</caption>
 *   <tr><th>index</th><th>name</th><th>shape</th><th>texture</th></tr>
 *   <tr><td>0</td><td>background</td><td>everything else</td><td>see below</td></tr>
 *   <tr><td>1</td><td>disc</td><td>filled circle</td><td>grid of round dots (period 4-6 px)</td></tr>
 *   <tr><td>2</td><td>box</td><td>rectangle, aspect 0.45-1</td><td>stripes (period 3-5.5 px)</td></tr>
 *   <tr><td>3</td><td>triangle</td><td>equilateral triangle</td><td>checkerboard (cells 1.8-3 px)</td></tr>
 *   <tr><td>4</td><td>ring</td><td>annulus, inner radius 45-65%</td><td>smooth radial ramp</td></tr>
 *   <tr><td>5</td><td>cross</td><td>plus sign</td><td>smooth linear ramp</td></tr>
 * </table>
 *
 * <h2>What makes it hard</h2>
 * <ul>
 *   <li>Colour: each class draws its hue from a 150-degree range centred on its own hue; neighbouring ranges
 *       overlap by half, the texture's second colour is a lighter/darker shade (or, one time in four, any hue),
 *       and every image gets a brightness and per-channel colour cast plus Gaussian pixel noise.</li>
 *   <li>Background: smooth two-octave noise between two dull colours, sometimes faint stripes, soft blotches, and
 *       1-4 <em>distractors</em> of background class that share either a texture or a rough shape with the objects,
 *       never both: lumpy blobs with dots/stripes/checkers, irregular 4-6-gons flat or ramped, and bars.</li>
 *   <li>Geometry: 4-7 objects per image, each turned at random, diameters 8-50% of the side (area uniform, so
 *       small objects are common); 40% of objects are placed against an earlier one, so occlusion is common (the
 *       mask follows the top object), and one image in five has a thin background line crossing in front of
 *       everything. Triangles are drawn more often and discs less, so that pixel shares come out even: about 75%
 *       background and 4.5-6% for each object class.</li>
 * </ul>
 * Textures keep their period in pixels, so on the smallest objects (5 px at 64x64) they are barely visible and
 * shape and context must carry the decision.
 *
 * <h2>Determinism</h2>
 * Image {@code i} of split {@code s} depends only on (seed, split name, i, size): {@link #get} renders it on demand
 * (about a millisecond at 64x64, no cache), from any thread, in any order. No pixel is ever set to the ignore index.
 */
public final class DemoScenes implements SegDataset {
    /** Class names in index order. */
    public static final List<String> CLASS_NAMES = List.of("background", "disc", "box", "triangle", "ring", "cross");
    /** Mask value for ignored pixels (none are produced, but consumers should honour it). */
    public static final int IGNORE_INDEX = 255;

    private final long seed;
    private final String split;
    private final int count;
    private final int size;

    private DemoScenes(long seed, String split, int count, int size) {
        this.seed = seed;
        this.split = split;
        this.count = count;
        this.size = size;
    }

    /**
     * The {@code split} part of the demo data.
     *
     * @param seed  master seed; the same seed gives the same images
     * @param split split name, usually {@code "train"} or {@code "val"}; different names give unrelated images
     * @param count number of images
     * @param size  side of the square images in pixels (at least 16)
     */
    public static DemoScenes split(long seed, String split, int count, int size) {
        Objects.requireNonNull(split, "split");
        if (split.isBlank()) {
            throw new IllegalArgumentException("demo split name must not be blank");
        }
        if (count < 0) {
            throw new IllegalArgumentException("demo split size must be >= 0, got " + count);
        }
        if (size < 16) {
            throw new IllegalArgumentException("demo image size must be >= 16 pixels, got " + size);
        }
        return new DemoScenes(seed, split, count, size);
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public Sample get(int index) {
        DemoScene scene = scene(index);
        return new Sample(id(split, index), scene.image(), scene.mask(), size, size);
    }

    /** The sample id of scene {@code index} of {@code split}. */
    public static String id(String split, int index) {
        return String.format("%s-%05d", split, index);
    }

    @Override
    public List<String> classNames() {
        return CLASS_NAMES;
    }

    @Override
    public int ignoreIndex() {
        return IGNORE_INDEX;
    }

    /** Side of the square images in pixels. */
    public int imageSize() {
        return size;
    }

    /** The split name given at construction. */
    public String splitName() {
        return split;
    }

    /** Renders scene {@code index} with its object statistics. */
    DemoScene scene(int index) {
        Objects.checkIndex(index, count);
        return DemoSceneRenderer.render(imageSeed(seed, split, index), size);
    }

    /** Seed of one image: a hash of (seed, split name, index), so images are independent of each other. */
    static long imageSeed(long seed, String split, int index) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (int i = 0; i < split.length(); i++) {
            h = mix(h + split.charAt(i));
        }
        return mix(h + index);
    }

    /** The 64-bit finaliser of SplittableRandom/MurmurHash3: a bijection that scrambles all bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
