package org.semiseg.weak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small dense CRF (Krähenbühl and Koltun, "Efficient Inference in Fully Connected CRFs with Gaussian Edge
 * Potentials", NIPS 2011) that refines a label map, as the authors of CCT refine their CAM labels
 * ({@code pseudo_labels/misc/imutils.py}, {@code crf_inference_label}, pydensecrf): the unary comes from the labels
 * (the given label has probability {@code gt_prob} 0.7, the others share the rest), two pairwise kernels with Potts
 * compatibility, a Gaussian one (position, σ = 3 pixels, weight 3) and a bilateral one (position σ = 50 pixels,
 * colour σ = 5 of 255, weight 10), each normalised symmetrically (pydensecrf's default: the message to pixel i is
 * n_i Σ_j k(i, j) n_j Q_j with n_i = (Σ_j k(i, j))^(-1/2), the pixel itself included), and {@code iterations}
 * mean-field updates Q_i(l) ∝ exp(−U_i(l) + Σ_kernels w Σ_j k̃(i, j) Q_j(l)), starting from Q = softmax(−U).
 *
 * <p>Where it differs from pydensecrf, which filters with a permutohedral lattice: each kernel is summed over a
 * window of ±2σ around the pixel, the wide bilateral window sampled on a grid of at most 11 x 11 offsets (every
 * {@code ceil(2σ / 5)}-th pixel); the lattice's own approximation differs in other ways. The spatial σ are the
 * authors' at their image size (Pascal VOC, about 500 x 375 pixels) and are scaled by sqrt(H W / (500 · 375)), so a
 * 64 x 64 demo image gets σ 0.44 and 7.4.
 */
public final class DenseCrf {
    /** The authors' image area (Pascal VOC), at which the spatial σ are given. */
    static final double REFERENCE_AREA = 500.0 * 375.0;
    /** The bilateral window is sampled on at most this many offsets per side. */
    static final int MAX_OFFSETS_PER_SIDE = 11;

    /**
     * @param iterations      mean-field updates
     * @param gtProb          the unary's probability of the given label
     * @param gaussianSxy     Gaussian kernel: position σ in pixels at the reference size
     * @param gaussianCompat  its Potts weight
     * @param bilateralSxy    bilateral kernel: position σ in pixels at the reference size
     * @param bilateralSrgb   its colour σ, in 0..255 units
     * @param bilateralCompat its Potts weight
     */
    public record Settings(int iterations, double gtProb, double gaussianSxy, double gaussianCompat, double bilateralSxy,
                           double bilateralSrgb, double bilateralCompat) {
        /** The authors' settings (pydensecrf, {@code t=10, gt_prob=0.7}) with {@code iterations} updates. */
        public static Settings authors(int iterations) {
            return new Settings(iterations, 0.7, 3, 3, 50, 5, 10);
        }
    }

    private DenseCrf() {
    }

    /**
     * The refined labels: argmax of Q after the mean-field updates.
     *
     * @param labels    (H·W) labels in [0, numLabels)
     * @param numLabels labels the map may hold (at least 1)
     * @param rgb       the image (3, H, W), values in [0, 1]
     */
    public static int[] refine(int[] labels, int numLabels, float[] rgb, int height, int width, Settings s) {
        int n = height * width;
        if (labels.length != n || rgb.length != 3 * n) {
            throw new IllegalArgumentException("labels " + labels.length + " and image " + rgb.length + " values for "
                    + height + "x" + width);
        }
        if (numLabels < 2 || s.iterations() == 0) {
            return labels.clone();
        }
        double scale = Math.sqrt(height * (double) width / REFERENCE_AREA);
        List<Kernel> kernels = List.of(
                kernel(rgb, height, width, s.gaussianSxy() * scale, Double.POSITIVE_INFINITY, s.gaussianCompat()),
                kernel(rgb, height, width, s.bilateralSxy() * scale, s.bilateralSrgb(), s.bilateralCompat()));
        Map<Long, float[]> weights = combined(kernels, height, width);
        float[][] unary = unary(labels, numLabels, s.gtProb());
        float[][] q = softmax(negated(unary));
        for (int it = 0; it < s.iterations(); it++) {
            float[][] logits = negated(unary);
            for (Map.Entry<Long, float[]> e : weights.entrySet()) {
                int dy = (int) (e.getKey() >> 32);
                int dx = e.getKey().intValue();
                addMessage(logits, q, e.getValue(), dy, dx, height, width);
            }
            q = softmax(logits);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int l = 1; l < numLabels; l++) {
                if (q[l][i] > q[best][i]) {
                    best = l;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** One kernel's window offsets (dy, dx), their raw weights k(i, i + offset) per pixel, and its normaliser. */
    record Kernel(List<int[]> offsets, List<float[]> weights, float[] norm, double compat) {
    }

    /**
     * exp(−|Δp|² / 2σ² − |ΔI|² / 2σ_rgb²) over the window (σ_rgb infinite: the Gaussian kernel), 0 outside the image,
     * and n_i = (Σ_j k(i, j))^(-1/2). A window wider than {@value #MAX_OFFSETS_PER_SIDE} offsets per side is sampled
     * every {@code stride} offsets, and each sampled offset but the pixel itself stands for the stride² pixels around
     * it (weight × stride²), so that the sums estimate the dense ones and the pixel's own share stays what it is in the
     * dense filter (without that weight it was stride² times too large, and the CRF moved few borders).
     */
    static Kernel kernel(float[] rgb, int h, int w, double sxy, double srgb, double compat) {
        int radius = Math.max(1, (int) Math.ceil(2 * sxy));
        int stride = Math.max(1, (int) Math.ceil(radius / (double) (MAX_OFFSETS_PER_SIDE / 2)));
        int plane = h * w;
        double colour = Double.isInfinite(srgb) ? 0 : 1.0 / (2 * srgb * srgb) * 255 * 255;
        List<int[]> offsets = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        float[] sum = new float[plane];
        for (int dy = -(radius / stride) * stride; dy <= radius; dy += stride) {
            for (int dx = -(radius / stride) * stride; dx <= radius; dx += stride) {
                double spatial = Math.exp(-(dy * dy + dx * dx) / (2 * sxy * sxy)) * (dy == 0 && dx == 0 ? 1 : stride * stride);
                float[] k = new float[plane];
                for (int y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
                    for (int x = Math.max(0, -dx); x < Math.min(w, w - dx); x++) {
                        int i = y * w + x;
                        int j = i + dy * w + dx;
                        double d = 0;
                        if (colour > 0) {
                            for (int c = 0; c < 3; c++) {
                                double diff = rgb[c * plane + i] - rgb[c * plane + j];
                                d += diff * diff;
                            }
                        }
                        k[i] = (float) (spatial * Math.exp(-d * colour));
                        sum[i] += k[i];
                    }
                }
                offsets.add(new int[] {dy, dx});
                weights.add(k);
            }
        }
        float[] norm = new float[plane];
        for (int i = 0; i < plane; i++) {
            norm[i] = (float) (1.0 / Math.sqrt(sum[i] + 1e-20));
        }
        return new Kernel(offsets, weights, norm, compat);
    }

    /** Σ_kernels w · n_i · k(i, i + o) · n_{i+o}, per offset o (keyed dy << 32 | dx). */
    private static Map<Long, float[]> combined(List<Kernel> kernels, int h, int w) {
        Map<Long, float[]> out = new LinkedHashMap<>();
        for (Kernel kernel : kernels) {
            for (int o = 0; o < kernel.offsets().size(); o++) {
                int dy = kernel.offsets().get(o)[0];
                int dx = kernel.offsets().get(o)[1];
                float[] k = kernel.weights().get(o);
                float[] sum = out.computeIfAbsent(((long) dy << 32) | (dx & 0xFFFFFFFFL), key -> new float[h * w]);
                for (int y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
                    for (int x = Math.max(0, -dx); x < Math.min(w, w - dx); x++) {
                        int i = y * w + x;
                        sum[i] += (float) (kernel.compat() * kernel.norm()[i] * k[i] * kernel.norm()[i + dy * w + dx]);
                    }
                }
            }
        }
        return out;
    }

    /** logits[l][i] += weight[i] · q[l][i + (dy, dx)] for every label and every pixel whose neighbour is inside. */
    private static void addMessage(float[][] logits, float[][] q, float[] weight, int dy, int dx, int h, int w) {
        int shift = dy * w + dx;
        for (int l = 0; l < q.length; l++) {
            float[] out = logits[l];
            float[] in = q[l];
            for (int y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
                int row = y * w;
                for (int x = Math.max(0, -dx); x < Math.min(w, w - dx); x++) {
                    out[row + x] += weight[row + x] * in[row + x + shift];
                }
            }
        }
    }

    /** pydensecrf's {@code unary_from_labels(labels, n, gt_prob, zero_unsure=False)}: −log p per label and pixel. */
    static float[][] unary(int[] labels, int numLabels, double gtProb) {
        float given = (float) -Math.log(gtProb);
        float other = (float) -Math.log((1 - gtProb) / (numLabels - 1));
        float[][] u = new float[numLabels][labels.length];
        for (int l = 0; l < numLabels; l++) {
            for (int i = 0; i < labels.length; i++) {
                u[l][i] = labels[i] == l ? given : other;
            }
        }
        return u;
    }

    private static float[][] negated(float[][] a) {
        float[][] out = new float[a.length][];
        for (int l = 0; l < a.length; l++) {
            out[l] = new float[a[l].length];
            for (int i = 0; i < a[l].length; i++) {
                out[l][i] = -a[l][i];
            }
        }
        return out;
    }

    /** Softmax over the labels (the first index), per pixel. */
    static float[][] softmax(float[][] logits) {
        int labels = logits.length;
        int n = logits[0].length;
        float[][] out = new float[labels][n];
        for (int i = 0; i < n; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (float[] row : logits) {
                max = Math.max(max, row[i]);
            }
            double sum = 0;
            for (int l = 0; l < labels; l++) {
                double e = Math.exp(logits[l][i] - max);
                out[l][i] = (float) e;
                sum += e;
            }
            for (int l = 0; l < labels; l++) {
                out[l][i] = (float) (out[l][i] / sum);
            }
        }
        return out;
    }
}
