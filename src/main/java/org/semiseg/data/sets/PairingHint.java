package org.semiseg.data.sets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Spots images and masks that did not pair but would under name patterns, e.g. {@code 0001_rgb.png} and
 * {@code 0001_label.png}: the difference between an unpaired image's name and a mask's name, taken at the end (or
 * the start) of the name and widened over separators ({@code _ - .} and space), is tried on every unpaired image; the
 * rule that pairs the most, when it pairs at least half of the smaller side, becomes the hint.
 */
final class PairingHint {
    private static final int IMAGES_TRIED = 5;
    private static final int MASKS_TRIED = 200;
    private static final String SEPARATORS = "_-. ";

    private PairingHint() {
    }

    /** A rule: image names carry {@code image} and mask names {@code mask} at the end (or the start) of the id. */
    private record Rule(String image, String mask, boolean atEnd) {
        String id(String stem) {
            if (atEnd ? !stem.endsWith(image) : !stem.startsWith(image)) {
                return null;
            }
            String id = atEnd ? stem.substring(0, stem.length() - image.length()) : stem.substring(image.length());
            return id.isEmpty() ? null : id;
        }

        String maskStem(String id) {
            return atEnd ? id + mask : mask + id;
        }

        String pattern(String affix, String extension) {
            return (atEnd ? "{id}" + affix : affix + "{id}") + extension;
        }
    }

    /**
     * @param images unpaired image files (paths relative to the root)
     * @param masks  mask files that paired with no image
     * @return a one-line suggestion of images.pattern and masks.pattern, or empty when no simple rule pairs enough
     */
    static Optional<String> suggest(List<String> images, List<String> masks) {
        if (images.isEmpty() || masks.isEmpty()) {
            return Optional.empty();
        }
        List<String> imageStems = images.stream().map(PairingHint::stem).toList();
        List<String> maskStems = masks.stream().map(PairingHint::stem).toList();
        Set<String> maskSet = new HashSet<>(maskStems);
        Rule best = null;
        int bestCount = 0;
        for (String a : imageStems.subList(0, Math.min(IMAGES_TRIED, imageStems.size()))) {
            for (String b : maskStems.subList(0, Math.min(MASKS_TRIED, maskStems.size()))) {
                Rule rule = rule(a, b);
                if (rule == null) {
                    continue;
                }
                int count = 0;
                for (String stem : imageStems) {
                    String id = rule.id(stem);
                    if (id != null && maskSet.contains(rule.maskStem(id))) {
                        count++;
                    }
                }
                if (count > bestCount) {
                    best = rule;
                    bestCount = count;
                }
            }
        }
        if (best == null || 2 * bestCount < Math.min(imageStems.size(), maskStems.size())) {
            return Optional.empty();
        }
        String imagePattern = best.pattern(best.image(), commonExtension(images));
        String maskPattern = best.pattern(best.mask(), ".png");
        return Optional.of(bestCount + " of the " + imageStems.size() + " unpaired images would pair with a mask under name"
                + " patterns: add images: {pattern: \"" + imagePattern + "\"} and masks: {pattern: \"" + maskPattern
                + "\"} to the dataset spec (the README's \"Your data\" shows the keys)");
    }

    /** The rule that turns image name {@code a} into mask name {@code b}, or null when they share no start or end. */
    private static Rule rule(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int p = 0;
        while (p < n && a.charAt(p) == b.charAt(p)) {
            p++;
        }
        int s = 0;
        while (s < n - p && a.charAt(a.length() - 1 - s) == b.charAt(b.length() - 1 - s)) {
            s++;
        }
        if (p > 0 && s == 0) {
            while (p > 1 && SEPARATORS.indexOf(a.charAt(p - 1)) >= 0) {
                p--;  // the separator before the differing end belongs to it: {id}_rgb, not {id}_ + rgb
            }
            return p == a.length() && p == b.length() ? null : new Rule(a.substring(p), b.substring(p), true);
        }
        if (p == 0 && s > 0) {
            while (s > 1 && SEPARATORS.indexOf(a.charAt(a.length() - s)) >= 0) {
                s--;
            }
            return new Rule(a.substring(0, a.length() - s), b.substring(0, b.length() - s), false);
        }
        return null;  // no common part, or a difference in the middle: not one pattern around {id}
    }

    private static String stem(String path) {
        return FileLists.stripExtension(FileLists.fileName(path));
    }

    /** ".png" when every file has that extension (lower-cased), else "" (a pattern without extension fits all). */
    private static String commonExtension(List<String> files) {
        Set<String> all = new HashSet<>();
        for (String f : files) {
            all.add(FileLists.extension(f));
        }
        return all.size() == 1 ? "." + all.iterator().next() : "";
    }

    /** The hint for a folder dataset's listing problems (images without masks, masks without images, misnamed files). */
    static Optional<String> forProblems(List<Problem> problems) {
        List<String> images = new ArrayList<>();
        List<String> masks = new ArrayList<>();
        for (Problem p : problems) {
            if (p.what().startsWith(PatternListing.NO_MASK) || p.what().startsWith(PatternListing.NO_FIT + " images")) {
                images.add(p.file());
            } else if (p.what().startsWith(PatternListing.NO_IMAGE) || p.what().startsWith(PatternListing.NO_FIT + " masks")) {
                masks.add(p.file());
            }
        }
        return suggest(images, masks);
    }
}
