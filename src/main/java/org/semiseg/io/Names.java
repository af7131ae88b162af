package org.semiseg.io;

import java.util.List;

/** Short lists of names in one-line messages: the first few, then how many more. */
public final class Names {
    private static final int SHOWN = 4;

    private Names() {
    }

    /** {@code "missing 'a', 'b' (+3 more); "} or the empty string when {@code names} is empty. */
    public static String summary(String label, List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(label).append(' ');
        for (int i = 0; i < Math.min(SHOWN, names.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append('\'').append(names.get(i)).append('\'');
        }
        if (names.size() > SHOWN) {
            sb.append(" (+").append(names.size() - SHOWN).append(" more)");
        }
        return sb.append("; ").toString();
    }
}
