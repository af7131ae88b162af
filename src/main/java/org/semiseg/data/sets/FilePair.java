package org.semiseg.data.sets;

/**
 * An image and its mask as paths relative to the dataset root, with {@code '/'} separators.
 *
 * @param image the image file, e.g. {@code train/0001TP_006690.png}
 * @param mask  its mask, e.g. {@code trainannot/0001TP_006690.png}; {@code null} for an image without mask
 */
public record FilePair(String image, String mask) {
    public FilePair {
        if (image == null || image.isEmpty()) {
            throw new IllegalArgumentException("a file pair needs an image path");
        }
        if (mask != null && mask.isEmpty()) {
            throw new IllegalArgumentException("mask path of " + image + " is empty (use null for no mask)");
        }
    }

    /** Whether the pair has a mask. */
    public boolean labeled() {
        return mask != null;
    }
}
