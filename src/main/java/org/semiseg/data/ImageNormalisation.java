package org.semiseg.data;

/** The ImageNet mean and standard deviation that torchvision backbones expect, applied per channel. */
public final class ImageNormalisation {
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};

    private ImageNormalisation() {
    }

    /** Writes the normalised {@code rgb} (3, H, W) into {@code out} at {@code offset}. */
    public static void normalise(float[] rgb, float[] out, int offset) {
        int plane = rgb.length / 3;
        for (int c = 0; c < 3; c++) {
            float mean = MEAN[c];
            float inv = 1f / STD[c];
            for (int i = 0, src = c * plane, dst = offset + c * plane; i < plane; i++) {
                out[dst + i] = (rgb[src + i] - mean) * inv;
            }
        }
    }
}
