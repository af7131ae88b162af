package org.semiseg.data;

/**
 * One image with its (optional) mask, decoded into plain arrays.
 *
 * @param id     stable identifier (file stem or generated name)
 * @param image  RGB in [0, 1], channel-major layout (3, height, width)
 * @param mask   class index per pixel, row-major (height, width); values equal to the dataset's ignore index are
 *               ignored; {@code null} for unlabeled images
 * @param height image height in pixels
 * @param width  image width in pixels
 */
public record Sample(String id, float[] image, int[] mask, int height, int width) {
    public Sample {
        if (image.length != 3 * height * width) {
            throw new IllegalArgumentException("image of " + id + " has " + image.length + " values, expected 3x" + height + "x" + width);
        }
        if (mask != null && mask.length != height * width) {
            throw new IllegalArgumentException("mask of " + id + " has " + mask.length + " values, expected " + height + "x" + width);
        }
    }

    public boolean labeled() {
        return mask != null;
    }
}
