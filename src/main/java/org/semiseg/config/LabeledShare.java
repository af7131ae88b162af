package org.semiseg.config;

/**
 * How many training images keep their masks: a fraction ("1/8", "0.125"), a count ("46") or "all".
 *
 * @param fraction share in (0, 1], or NaN when a count is given
 * @param count    number of images, or -1 when a fraction is given
 */
public record LabeledShare(double fraction, int count) {
    public static LabeledShare parse(String key, String text) {
        if (text == null || text.isBlank()) {
            throw ConfigException.key(key, "is required: a share like 1/8, a count like 46, or all");
        }
        String t = text.trim();
        try {
            if (t.equals("all")) {
                return new LabeledShare(1.0, -1);
            }
            if (t.contains("/")) {
                String[] parts = t.split("/");
                double f = Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
                return fraction(key, t, f);
            }
            if (t.contains(".")) {
                return fraction(key, t, Double.parseDouble(t));
            }
            int n = Integer.parseInt(t);
            if (n < 1) {
                throw ConfigException.key(key, "a count must be at least 1 (got " + t + ")");
            }
            return new LabeledShare(Double.NaN, n);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw ConfigException.key(key, "expected a share like 1/8, a count like 46, or all (got '" + t + "')");
        }
    }

    private static LabeledShare fraction(String key, String text, double f) {
        if (!(f > 0 && f <= 1)) {
            throw ConfigException.key(key, "a share must be in (0, 1] (got " + text + ")");
        }
        return new LabeledShare(f, -1);
    }

    /** Number of labeled images out of {@code total}: at least one, at most all. */
    public int of(int total) {
        int n = count > 0 ? count : (int) Math.round(fraction * total);
        return Math.max(1, Math.min(total, n));
    }
}
