package org.semiseg.data;

/** Derives independent seeds from a run seed and coordinates (iteration, slot, ...), SplitMix64-style. */
public final class Seeds {
    private Seeds() {
    }

    public static long mix(long seed, long... coordinates) {
        long h = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        for (long c : coordinates) {
            h = finalise(h ^ finalise(c + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
