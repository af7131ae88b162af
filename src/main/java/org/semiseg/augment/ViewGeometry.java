package org.semiseg.augment;

/**
 * How one view was cut from its original image by {@link Augmentations#geometricView}: resize the original
 * ({@code srcH} x {@code srcW}) to {@code scaledH} x {@code scaledW} ({@link RandomScale}, floor size), take the
 * {@code height} x {@code width} window whose top-left corner lies at ({@code top}, {@code left}) of the scaled image
 * ({@link RandomCrop}; negative offsets, or a window overhanging the scaled image, pad), then mirror the window left to
 * right when {@code flip} ({@link HFlip}).
 *
 * <p>{@link #map} relates two views of one original with pixel centres and the {@code align_corners=false}
 * convention (as {@link Resampling#bilinear}): view pixel (y, x) lies at scaled-image pixel
 * {@code (y + top, (flip ? width - 1 - x : x) + left)}; a scaled pixel {@code c} covers the original's continuous
 * coordinate {@code (c + 0.5) * src / scaled - 0.5} (per axis). Going back into another view rounds to the nearest
 * pixel with {@code floor(c + 0.5)} (a tie rounds up).
 *
 * <p>Rounding edge: {@link Resampling#nearest}, which resizes masks, picks {@code floor(d * in / out)} instead. For an
 * integer enlargement (factor k = 1, 2, 3, ...) both give {@code floor(d / k)}, so {@link #map} from the original
 * reproduces the pipeline's mask exactly; for other factors the two may differ by one pixel where the rounding
 * disagrees (e.g. a halving: the centre of scaled pixel d falls halfway between original pixels 2d and 2d + 1, and
 * {@link #map} picks 2d + 1 where nearest picks 2d).
 *
 * @param srcH    original height
 * @param srcW    original width
 * @param scaledH height after the resize ({@code srcH} when not resized)
 * @param scaledW width after the resize ({@code srcW} when not resized)
 * @param top     row of the scaled image at the view's first row (negative: padding above)
 * @param left    column of the scaled image at the window's first column, before the flip (negative: padding left)
 * @param height  view height
 * @param width   view width
 * @param flip    whether the window was mirrored left to right after the crop
 */
public record ViewGeometry(int srcH, int srcW, int scaledH, int scaledW, int top, int left, int height, int width,
                           boolean flip) {
    public ViewGeometry {
        if (srcH <= 0 || srcW <= 0 || scaledH <= 0 || scaledW <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("sizes must be positive: src " + srcH + "x" + srcW + ", scaled "
                    + scaledH + "x" + scaledW + ", view " + height + "x" + width);
        }
    }

    /** The original itself: no resize, no crop, no flip. */
    public static ViewGeometry identity(int h, int w) {
        return new ViewGeometry(h, w, h, w, 0, 0, h, w, false);
    }

    /** Whether the view shows only image content (its window lies inside the scaled image: no padding). */
    public boolean unpadded() {
        return top >= 0 && left >= 0 && top + height <= scaledH && left + width <= scaledW;
    }

    /**
     * For each pixel of view {@code to}, the pixel of view {@code from} that shows the same point of the original.
     *
     * @param from the view to read from; same original size as {@code to}
     * @param to   the view to fill
     * @return (to.height, to.width) row-major: the row-major index into (from.height, from.width) of the source pixel,
     *         or -1 where the point is outside the original (padding of {@code to}) or falls in {@code from}'s padding
     */
    public static int[] map(ViewGeometry from, ViewGeometry to) {
        if (from.srcH != to.srcH || from.srcW != to.srcW) {
            throw new IllegalArgumentException("views of different originals: " + from.srcH + "x" + from.srcW
                    + " and " + to.srcH + "x" + to.srcW);
        }
        // The geometry is separable: rows and columns map independently.
        int[] rows = new int[to.height];
        for (int y = 0; y < to.height; y++) {
            rows[y] = axis(y + to.top, to.scaledH, from.scaledH, from.top, from.height);
        }
        int[] cols = new int[to.width];
        for (int x = 0; x < to.width; x++) {
            int c = axis((to.flip ? to.width - 1 - x : x) + to.left, to.scaledW, from.scaledW, from.left, from.width);
            cols[x] = c < 0 || !from.flip ? c : from.width - 1 - c;
        }
        int[] out = new int[to.height * to.width];
        for (int y = 0; y < to.height; y++) {
            for (int x = 0; x < to.width; x++) {
                out[y * to.width + x] = rows[y] < 0 || cols[x] < 0 ? -1 : rows[y] * from.width + cols[x];
            }
        }
        return out;
    }

    /**
     * Along one axis: scaled coordinate {@code c} of a view whose scaled size is {@code toScaled}, to the (unflipped)
     * window coordinate of a view with scaled size {@code fromScaled}, offset {@code fromOffset} and window size
     * {@code fromSize}; -1 when either end falls outside its scaled image or the window.
     */
    private static int axis(int c, int toScaled, int fromScaled, int fromOffset, int fromSize) {
        if (c < 0 || c >= toScaled) {
            return -1; // padding of `to`: outside the original
        }
        // (c + 0.5) * src / toScaled - 0.5 in the original, then (o + 0.5) * fromScaled / src - 0.5: src cancels.
        double f = (c + 0.5) * fromScaled / toScaled - 0.5;
        int r = (int) Math.floor(f + 0.5);
        if (r < 0 || r >= fromScaled) {
            return -1;
        }
        int v = r - fromOffset;
        return v < 0 || v >= fromSize ? -1 : v;
    }
}
