package org.semiseg.augment;

import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;

import java.util.SplittableRandom;

/**
 * Gaussian blur of the image (not the mask) with probability {@code probability}; the standard deviation is drawn
 * uniformly from [{@code sigmaMin}, {@code sigmaMax}] each time, the same in both directions, and the kernel has
 * {@code kernelSize} taps (odd) with weights {@code exp(-k^2 / (2 sigma^2))}, normalised to sum 1. Borders are
 * mirrored without repeating the edge pixel (torch's {@code 'reflect'} padding, kornia's default).
 *
 * <p>Defaults: probability 0 (weak) and 0.2 (strong) from Table 1 of Alonso et al. (ICCV 2021); kernel 23 and sigma
 * 0.1 to 1.5 from the authors' code ({@code gaussian_blur} in {@code utils/transformsgpu.py}, called with
 * {@code min_sigma=0.1, max_sigma=1.5} from {@code augment_samples} in {@code trainSSL.py} of
 * Shathe/SemiSeg-Contrastive). Note that kornia's {@code GaussianBlur2d} reads that pair as fixed (sigma_x,
 * sigma_y), so the released code blurs with 0.1 along one axis and 1.5 along the other; we take the evident intent,
 * a random isotropic sigma in that range as in BYOL/SimCLR, which the authors' comments cite.
 */
public record GaussianBlur(double probability, double sigmaMin, double sigmaMax, int kernelSize)
        implements BatchLoader.Transform {
    /** Kernel size of the authors' code. */
    public static final int DEFAULT_KERNEL = 23;
    /** Smallest standard deviation of the authors' code. */
    public static final double DEFAULT_SIGMA_MIN = 0.1;
    /** Largest standard deviation of the authors' code. */
    public static final double DEFAULT_SIGMA_MAX = 1.5;

    public GaussianBlur {
        Checks.probability("blur probability", probability);
        if (!(sigmaMin > 0) || !(sigmaMax >= sigmaMin) || Double.isInfinite(sigmaMax)) {
            throw new IllegalArgumentException("blur sigma range must satisfy 0 < min <= max, got [" + sigmaMin + ", " + sigmaMax + "]");
        }
        if (kernelSize < 1 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("blur kernel size must be odd and positive, got " + kernelSize);
        }
    }

    /** The authors' kernel and sigma range with the given probability. */
    public GaussianBlur(double probability) {
        this(probability, DEFAULT_SIGMA_MIN, DEFAULT_SIGMA_MAX, DEFAULT_KERNEL);
    }

    @Override
    public Sample apply(Sample s, SplittableRandom rng) {
        if (!Checks.chance(rng, probability)) {
            return s;
        }
        double sigma = Checks.uniform(rng, sigmaMin, sigmaMax);
        float[] image = blur(s.image(), 3, s.height(), s.width(), sigma, kernelSize);
        return new Sample(s.id(), image, s.mask(), s.height(), s.width());
    }

    /** The normalised 1-D Gaussian of {@code size} (odd) taps centred on the middle one. */
    public static float[] kernel(int size, double sigma) {
        if (size < 1 || size % 2 == 0 || !(sigma > 0)) {
            throw new IllegalArgumentException("kernel needs an odd size and sigma > 0, got " + size + ", " + sigma);
        }
        int r = size / 2;
        double[] k = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = i - r;
            k[i] = Math.exp(-d * d / (2 * sigma * sigma));
            sum += k[i];
        }
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) (k[i] / sum);
        }
        return out;
    }

    /**
     * Separable Gaussian blur of a channel-major image, rows then columns, with reflected borders.
     *
     * @return a new array; {@code chw} is not modified
     */
    public static float[] blur(float[] chw, int channels, int h, int w, double sigma, int kernelSize) {
        if (chw.length != channels * h * w) {
            throw new IllegalArgumentException("image has " + chw.length + " values, expected " + channels + "x" + h + "x" + w);
        }
        float[] k = kernel(kernelSize, sigma);
        int r = kernelSize / 2;
        int[] xs = reflected(w, r);
        int[] ys = reflected(h, r);
        float[] tmp = new float[chw.length];
        float[] out = new float[chw.length];
        float[] line = new float[Math.max(w, h) + 2 * r];
        for (int c = 0; c < channels; c++) {
            int plane = c * h * w;
            // Horizontal pass into tmp.
            for (int y = 0; y < h; y++) {
                int row = plane + y * w;
                for (int i = 0; i < w + 2 * r; i++) {
                    line[i] = chw[row + xs[i]];
                }
                convolve(line, k, tmp, row, 1, w);
            }
            // Vertical pass into out.
            for (int x = 0; x < w; x++) {
                int col = plane + x;
                for (int i = 0; i < h + 2 * r; i++) {
                    line[i] = tmp[col + ys[i] * w];
                }
                convolve(line, k, out, col, w, h);
            }
        }
        return out;
    }

    /** out[offset + i * stride] = sum_j k[j] * line[i + j] for i in [0, n). */
    private static void convolve(float[] line, float[] k, float[] out, int offset, int stride, int n) {
        int size = k.length;
        for (int i = 0; i < n; i++) {
            float acc = 0f;
            for (int j = 0; j < size; j++) {
                acc += k[j] * line[i + j];
            }
            out[offset + i * stride] = acc;
        }
    }

    /**
     * For each position of a line padded by {@code r} on both sides, the source index with mirror reflection
     * ({@code -1 -> 1}, {@code n -> n - 2}), folded as often as needed when {@code r >= n}.
     */
    static int[] reflected(int n, int r) {
        int[] idx = new int[n + 2 * r];
        int period = 2 * (n - 1);
        for (int i = 0; i < idx.length; i++) {
            int p = i - r;
            if (n == 1) {
                idx[i] = 0;
                continue;
            }
            p = Math.floorMod(p, period);
            idx[i] = p < n ? p : period - p;
        }
        return idx;
    }
}
