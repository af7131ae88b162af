package org.semiseg.augment;

import java.util.SplittableRandom;

/**
 * ClassMix (Olsson et al., WACV 2021) on a host batch, as the authors of Alonso et al. (ICCV 2021) implement it
 * ({@code augment_samples} in {@code trainSSL.py} and {@code mix} in {@code utils/transformsgpu.py} of
 * Shathe/SemiSeg-Contrastive):
 * <ul>
 *   <li>Pairing: output {@code i} pastes from image {@code (i + 1) mod n} (the source) onto image {@code i} (the
 *       target). With n = 1 an image is pasted onto itself, which changes nothing.</li>
 *   <li>Classes: those present in the source's label (or pseudo-label), ignore excluded, sorted; of these
 *       {@link #classesToPick} are drawn without replacement: half of the k present, rounded up ({@code ceil(k / 2)}),
 *       as the issue asks and as the original ClassMix code does. The Alonso et al. code takes
 *       {@code int((k - k % 2) / 2) + 1}, one more than half for even k, which with two classes present pastes the
 *       whole source and mixes nothing; we do not follow it there. An image with no class other than ignore pastes
 *       nothing (the authors' code would paste its ignore pixels).</li>
 *   <li>Mask: 1 where the source's label is one of the chosen classes. Images, labels and confidence of the output
 *       all take the source's value there and the target's elsewhere.</li>
 *   <li>Probability: per batch, as in the authors' code ({@code random.random() < p} decides for the whole
 *       batch); Table 1 gives 0.2 (weak, labeled batches) and 0.8 (strong, unlabeled batches),
 *       {@link AugmentPreset#classMixProbability()}.</li>
 * </ul>
 * The authors mix before the per-batch scale, flip, jitter and blur; here the per-sample augmentations run first,
 * on the loader, and the mix follows on the augmented batch. The VOC-specific exclusion of background (class 0)
 * from the choice in the authors' code is not reproduced.
 *
 * <p>Everything random is drawn from the given generator: the probability draw (if any), then for each source
 * image in index order its chosen classes.
 */
public final class ClassMix {
    private ClassMix() {
    }

    /** Which pixels of which image a mix pastes: see {@link Mixed} for the meaning of the fields. */
    public record Choice(byte[] masks, int[] sourceIndex, int[] targetIndex) {
        /** Whether anything is pasted. */
        public boolean anyMixed() {
            for (byte m : masks) {
                if (m != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** ClassMix with probability 1. */
    public static Mixed apply(MixBatch batch, int ignoreIndex, SplittableRandom rng) {
        if (batch.labels() == null) {
            throw new IllegalArgumentException("ClassMix needs labels or pseudo-labels");
        }
        Choice c = choose(batch.labels(), batch.n(), batch.h() * batch.w(), ignoreIndex, rng);
        return Mixed.compose(batch, c.masks(), c.sourceIndex(), c.targetIndex());
    }

    /**
     * The masks of ClassMix (probability 1) for {@code n} label maps of {@code plane} pixels each, without touching
     * images: for mixing arrays that live elsewhere (e.g. on the training device).
     */
    public static Choice choose(int[] labels, int n, int plane, int ignoreIndex, SplittableRandom rng) {
        int maxLabel = -1;
        for (int v : labels) {
            if (v == ignoreIndex) {
                continue;
            }
            if (v < 0) {
                throw new IllegalArgumentException("label " + v + " is negative and not the ignore index " + ignoreIndex);
            }
            maxLabel = Math.max(maxLabel, v);
        }
        // chosen[j][c]: class c is pasted when image j is the source.
        boolean[][] chosen = new boolean[n][];
        for (int j = 0; j < n; j++) {
            int[] present = presentClasses(labels, j * plane, plane, ignoreIndex, maxLabel);
            int k = classesToPick(present.length);
            chosen[j] = new boolean[maxLabel + 1];
            for (int t = 0; t < k; t++) {
                int r = t + rng.nextInt(present.length - t);
                int swap = present[t];
                present[t] = present[r];
                present[r] = swap;
                chosen[j][present[t]] = true;
            }
        }
        int[][] pairs = Mixed.nextPairs(n);
        int[] source = pairs[0];
        byte[] masks = new byte[n * plane];
        for (int i = 0; i < n; i++) {
            boolean[] pick = chosen[source[i]];
            int src = source[i] * plane;
            int m = i * plane;
            for (int p = 0; p < plane; p++) {
                int v = labels[src + p];
                if (v != ignoreIndex && pick[v]) {
                    masks[m + p] = 1;
                }
            }
        }
        return new Choice(masks, source, pairs[1]);
    }

    /**
     * {@link #choose} with probability {@code probability} (one draw for the batch); otherwise nothing is pasted
     * (masks all 0, each output its own target).
     */
    public static Choice choose(int[] labels, int n, int plane, int ignoreIndex, double probability, SplittableRandom rng) {
        Checks.probability("ClassMix probability", probability);
        if (!Checks.chance(rng, probability)) {
            int[] self = new int[n];
            for (int i = 0; i < n; i++) {
                self[i] = i;
            }
            return new Choice(new byte[n * plane], self, self.clone());
        }
        return choose(labels, n, plane, ignoreIndex, rng);
    }

    /**
     * ClassMix of the whole batch with probability {@code probability} (one draw), otherwise the batch unchanged
     * (masks all 0, each output its own source and target).
     */
    public static Mixed apply(MixBatch batch, int ignoreIndex, double probability, SplittableRandom rng) {
        Checks.probability("ClassMix probability", probability);
        if (!Checks.chance(rng, probability)) {
            return Mixed.identity(batch);
        }
        return apply(batch, ignoreIndex, rng);
    }

    /** How many of {@code present} classes are pasted: half, rounded up ({@code ceil(present / 2)}), 0 when none. */
    public static int classesToPick(int present) {
        return present <= 0 ? 0 : (present + 1) / 2;
    }

    /** The distinct labels of {@code plane} pixels at {@code offset}, ignore excluded, ascending. */
    static int[] presentClasses(int[] labels, int offset, int plane, int ignoreIndex, int maxLabel) {
        boolean[] seen = new boolean[maxLabel + 1];
        int count = 0;
        for (int p = 0; p < plane; p++) {
            int v = labels[offset + p];
            if (v != ignoreIndex && !seen[v]) {
                seen[v] = true;
                count++;
            }
        }
        int[] out = new int[count];
        for (int c = 0, k = 0; c <= maxLabel; c++) {
            if (seen[c]) {
                out[k++] = c;
            }
        }
        return out;
    }
}
