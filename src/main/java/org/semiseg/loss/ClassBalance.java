package org.semiseg.loss;

import java.util.Arrays;

/**
 * Per-class weights α_c = sqrt(f_m / f_c) of Section 4.2 (Alonso et al.), where f_c is the pixel frequency of class
 * c and f_m the median of the frequencies. Classes that never occur get weight 1 (they contribute no pixels anyway)
 * and are left out of the median.
 */
public final class ClassBalance {
    private ClassBalance() {
    }

    public static float[] weights(long[] pixelCounts) {
        double total = Arrays.stream(pixelCounts).sum();
        double[] present = Arrays.stream(pixelCounts).filter(c -> c > 0).mapToDouble(c -> c / total).sorted().toArray();
        float[] alpha = new float[pixelCounts.length];
        Arrays.fill(alpha, 1f);
        if (present.length == 0) {
            return alpha;
        }
        int n = present.length;
        double median = n % 2 == 1 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2;
        for (int c = 0; c < pixelCounts.length; c++) {
            if (pixelCounts[c] > 0) {
                alpha[c] = (float) Math.sqrt(median / (pixelCounts[c] / total));
            }
        }
        return alpha;
    }
}
