package org.semiseg.data;

import java.util.List;

/**
 * One rendered demo scene, with what was placed in it (for tests and statistics).
 *
 * @param image   RGB in [0, 1], layout (3, size, size)
 * @param mask    class index per pixel, row-major (size, size)
 * @param objects the labeled objects in painting order (later ones occlude earlier ones)
 * @param size    side of the square image in pixels
 */
record DemoScene(float[] image, int[] mask, List<PlacedObject> objects, int size) {

    /**
     * @param classIndex     class of the object (1 or more)
     * @param sideFraction   object diameter divided by the image side
     * @param drawnPixels    pixels the object covered when it was painted
     * @param visiblePixels  pixels still showing it at the end (fewer when occluded or cut by a line)
     */
    record PlacedObject(int classIndex, double sideFraction, int drawnPixels, int visiblePixels) {
        boolean partiallyOccluded() {
            return visiblePixels > 0 && visiblePixels < drawnPixels;
        }
    }
}
