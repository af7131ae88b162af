package org.semiseg.eval;

import java.util.Arrays;
import java.util.Locale;

/**
 * How to turn an image into class probabilities at test time.
 *
 * @param mode         {@link Mode#WHOLE}, {@link Mode#CENTER_CROP} or {@link Mode#SLIDING}
 * @param cropHeight   crop / window height in pixels (center_crop, sliding; ignored by whole)
 * @param cropWidth    crop / window width in pixels
 * @param strideHeight vertical window stride (sliding only), in {@code [1, cropHeight]}
 * @param strideWidth  horizontal window stride (sliding only), in {@code [1, cropWidth]}
 * @param flip         also run on the horizontally flipped image and average
 * @param scales       input scale factors to average over (each &gt; 0); {@code {1.0}} for single scale
 */
public record InferenceSpec(Mode mode, int cropHeight, int cropWidth, int strideHeight, int strideWidth,
                            boolean flip, double[] scales) {

    /** Inference modes; {@link #id()} is the name used in configs. */
    public enum Mode {
        WHOLE, CENTER_CROP, SLIDING;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code whole | center_crop | sliding} (case-insensitive). */
        public static Mode parse(String id) {
            for (Mode m : values()) {
                if (m.id().equalsIgnoreCase(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mode must be one of whole, center_crop, sliding; got '" + id + "'");
        }
    }

    /** Pixel box {@code [top, top+height) x [left, left+width)}. */
    public record CropBox(int top, int left, int height, int width) {
    }

    public InferenceSpec {
        if (mode == null) {
            throw new IllegalArgumentException("mode must be set (whole, center_crop or sliding)");
        }
        if (mode != Mode.WHOLE && (cropHeight < 1 || cropWidth < 1)) {
            throw new IllegalArgumentException("crop size must be positive for mode " + mode.id() + ", got "
                    + cropHeight + "x" + cropWidth);
        }
        if (mode == Mode.SLIDING) {
            if (strideHeight < 1 || strideWidth < 1) {
                throw new IllegalArgumentException("stride must be positive for sliding, got " + strideHeight + "x" + strideWidth);
            }
            if (strideHeight > cropHeight || strideWidth > cropWidth) {
                throw new IllegalArgumentException("stride " + strideHeight + "x" + strideWidth
                        + " must not exceed crop size " + cropHeight + "x" + cropWidth + " (windows would leave gaps)");
            }
        }
        if (scales == null || scales.length == 0) {
            throw new IllegalArgumentException("scales must hold at least one value");
        }
        for (double s : scales) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("scales must be finite and > 0, got " + Arrays.toString(scales));
            }
        }
        scales = scales.clone();
    }

    /** Whole image, single scale, no flip. */
    public static InferenceSpec whole() {
        return new InferenceSpec(Mode.WHOLE, 0, 0, 0, 0, false, new double[] {1.0});
    }

    /** Only the central {@code height x width} crop is evaluated. */
    public static InferenceSpec centerCrop(int height, int width) {
        return new InferenceSpec(Mode.CENTER_CROP, height, width, 0, 0, false, new double[] {1.0});
    }

    /** Windows of {@code cropH x cropW} every {@code strideH x strideW} pixels. */
    public static InferenceSpec sliding(int cropH, int cropW, int strideH, int strideW) {
        return new InferenceSpec(Mode.SLIDING, cropH, cropW, strideH, strideW, false, new double[] {1.0});
    }

    public InferenceSpec withFlip(boolean flip) {
        return new InferenceSpec(mode, cropHeight, cropWidth, strideHeight, strideWidth, flip, scales);
    }

    public InferenceSpec withScales(double... scales) {
        return new InferenceSpec(mode, cropHeight, cropWidth, strideHeight, strideWidth, flip, scales);
    }

    @Override
    public double[] scales() {
        return scales.clone();
    }

    /**
     * The region of an {@code height x width} image that is evaluated: the centred crop (clamped to the image) for
     * center_crop, the whole image otherwise.
     */
    public CropBox evaluatedBox(int height, int width) {
        if (mode != Mode.CENTER_CROP) {
            return new CropBox(0, 0, height, width);
        }
        int h = Math.min(cropHeight, height);
        int w = Math.min(cropWidth, width);
        return new CropBox((height - h) / 2, (width - w) / 2, h, w);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InferenceSpec s && mode == s.mode && cropHeight == s.cropHeight && cropWidth == s.cropWidth
                && strideHeight == s.strideHeight && strideWidth == s.strideWidth && flip == s.flip
                && Arrays.equals(scales, s.scales);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scales) * 31 + java.util.Objects.hash(mode, cropHeight, cropWidth, strideHeight, strideWidth, flip);
    }

    @Override
    public String toString() {
        return "InferenceSpec[" + mode.id() + ", crop=" + cropHeight + "x" + cropWidth + ", stride=" + strideHeight
                + "x" + strideWidth + ", flip=" + flip + ", scales=" + Arrays.toString(scales) + "]";
    }
}
