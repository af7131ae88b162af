package org.semiseg.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.semiseg.data.ImageNormalisation;
import org.semiseg.data.Sample;

/** Turns decoded {@link Sample}s into the tensors the network and the metrics expect. */
public final class ImageTensors {
    /** ImageNet channel means (RGB), applied to images in [0, 1]. */
    public static final float[] MEAN = ImageNormalisation.MEAN;
    /** ImageNet channel standard deviations (RGB). */
    public static final float[] STD = ImageNormalisation.STD;

    private ImageTensors() {
    }

    /**
     * Stacks and normalises {@code (x - mean) / std} the images of equally sized samples.
     *
     * @return float32 {@code (N, 3, H, W)} in {@code manager}
     */
    public static NDArray toBatch(NDManager manager, List<Sample> samples) {
        int[] hw = commonSize(samples);
        int plane = hw[0] * hw[1];
        float[] out = new float[samples.size() * 3 * plane];
        for (int n = 0; n < samples.size(); n++) {
            ImageNormalisation.normalise(samples.get(n).image(), out, n * 3 * plane);
        }
        return manager.create(out, new Shape(samples.size(), 3, hw[0], hw[1]));
    }

    /**
     * Stacks the masks of equally sized labelled samples.
     *
     * @return int64 {@code (N, H, W)} in {@code manager}
     * @throws IllegalArgumentException if a sample has no mask
     */
    public static NDArray masksToArray(NDManager manager, List<Sample> samples) {
        int[] hw = commonSize(samples);
        int plane = hw[0] * hw[1];
        long[] out = new long[samples.size() * plane];
        for (int n = 0; n < samples.size(); n++) {
            Sample s = samples.get(n);
            if (s.mask() == null) {
                throw new IllegalArgumentException("sample " + s.id() + " has no mask");
            }
            int[] mask = s.mask();
            for (int i = 0; i < plane; i++) {
                out[n * plane + i] = mask[i];
            }
        }
        return manager.create(out, new Shape(samples.size(), hw[0], hw[1]));
    }

    private static int[] commonSize(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("samples is empty");
        }
        int h = samples.get(0).height();
        int w = samples.get(0).width();
        for (Sample s : samples) {
            if (s.height() != h || s.width() != w) {
                throw new IllegalArgumentException("sample " + s.id() + " is " + s.height() + "x" + s.width()
                        + ", expected " + h + "x" + w + " like " + samples.get(0).id());
            }
        }
        return new int[] {h, w};
    }
}
