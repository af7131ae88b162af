package org.semiseg.model;

import ai.djl.ndarray.NDArray;

/** Resizing of (N, C, H, W) maps. */
public final class Interpolation {

    /** DJL's interpolation code for bilinear (the PyTorch engine maps 1 to torch's bilinear). */
    private static final int BILINEAR = 1;

    private Interpolation() {}

    /**
     * Bilinear resize (N, C, H, W) -> (N, C, height, width), align_corners=false (torch's
     * {@code F.interpolate(x, size, mode="bilinear")}); differentiable. Returns x itself when the size already matches.
     */
    public static NDArray bilinear(NDArray x, long height, long width) {
        if (x.getShape().get(2) == height && x.getShape().get(3) == width) {
            return x;
        }
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, BILINEAR, false);
    }
}
