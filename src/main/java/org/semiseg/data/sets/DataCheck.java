package org.semiseg.data.sets;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.semiseg.SemisegException;
import org.semiseg.io.ImageReadException;
import org.semiseg.io.Images;

/**
 * Validates a dataset's files before training, collecting every problem instead of stopping at the first.
 *
 * <p>The fast form reads only file headers: every file exists and is readable, image and mask dimensions agree,
 * masks of index layouts are gray or palette images, no split is empty. The full form decodes every file (catching
 * truncated or corrupt PNG and JPEG data, which ImageIO would partly decode with only a warning) and checks every
 * mask value against the class set (8/16-bit gray, palette and, for rgb folder datasets, colour masks).
 */
public final class DataCheck {
    private DataCheck() {
    }

    /**
     * @param splits          split name to its files, e.g. from {@link DatasetLayout#list}; a pair in several splits is
     *                        checked once
     * @param listingProblems problems found while listing, put first in the report
     * @param full            decode everything rather than read headers
     * @param ignoreIndex     the ignore index (must not be a class index)
     * @param threads         worker threads, at least 1
     */
    public static CheckReport check(DatasetLayout layout, Map<String, List<FilePair>> splits, List<Problem> listingProblems,
                                    boolean full, int ignoreIndex, int threads) {
        requireIgnoreIndex(layout, ignoreIndex);
        Map<String, Integer> images = new LinkedHashMap<>();
        Map<String, Integer> labeled = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>(listingProblems);
        LinkedHashSet<FilePair> all = new LinkedHashSet<>();
        for (Map.Entry<String, List<FilePair>> split : splits.entrySet()) {
            List<FilePair> pairs = split.getValue();
            images.put(split.getKey(), pairs.size());
            labeled.put(split.getKey(), (int) pairs.stream().filter(FilePair::labeled).count());
            if (pairs.isEmpty()) {
                problems.add(new Problem(layout.root().toString(), "split '" + split.getKey() + "' has no images"));
            }
            all.addAll(pairs);
        }
        for (List<Problem> found : Parallel.map(new ArrayList<>(all), threads, pair -> checkPair(layout, pair, full, ignoreIndex))) {
            problems.addAll(found);
        }
        return new CheckReport(images, labeled, problems, layout.hints(problems));
    }

    /** Refuses an ignore index that is also a class index. */
    static void requireIgnoreIndex(DatasetLayout layout, int ignoreIndex) {
        int n = layout.classNames().size();
        if (ignoreIndex >= 0 && ignoreIndex < n) {
            throw new SemisegException("ignore index " + ignoreIndex + " is class '" + layout.classNames().get(ignoreIndex)
                    + "' of " + layout.name() + "; it must be outside the class indices 0.." + (n - 1) + " (e.g. 255)");
        }
    }

    private static List<Problem> checkPair(DatasetLayout layout, FilePair pair, boolean full, int ignoreIndex) {
        List<Problem> problems = new ArrayList<>();
        Path imageFile = layout.root().resolve(pair.image());
        int[] imageSize = null;
        try {
            if (full) {
                BufferedImage image = Images.decode(imageFile);
                imageSize = new int[] {image.getWidth(), image.getHeight()};
            } else {
                Images.Header header = Images.header(imageFile);
                imageSize = new int[] {header.width(), header.height()};
            }
        } catch (ImageReadException e) {
            problems.add(new Problem(pair.image(), ImageFiles.what(e)));
        } catch (RuntimeException e) {
            problems.add(new Problem(pair.image(), "cannot read (" + ImageFiles.oneLine(e) + ")"));
        }
        if (pair.mask() == null) {
            return problems;
        }
        Path maskFile = layout.root().resolve(pair.mask());
        int[] maskSize = null;
        try {
            if (full) {
                MaskReading reading = layout.readMask(maskFile, ignoreIndex);
                maskSize = new int[] {reading.width(), reading.height()};
                if (!reading.ok()) {
                    problems.add(new Problem(pair.mask(), reading.problem()));
                }
            } else {
                Images.Header header = Images.header(maskFile);
                maskSize = new int[] {header.width(), header.height()};
                if (!layout.colourMasks() && !header.indexed() && header.colourComponents() > 1) {
                    problems.add(new Problem(pair.mask(), "mask is a colour image (" + header.colourComponents()
                            + " channels); " + layout.name() + " masks are gray or palette PNGs holding class values"));
                }
            }
        } catch (ImageReadException e) {
            problems.add(new Problem(pair.mask(), ImageFiles.what(e)));
        } catch (RuntimeException e) {
            problems.add(new Problem(pair.mask(), "cannot read (" + ImageFiles.oneLine(e) + ")"));
        }
        if (imageSize != null && maskSize != null && (imageSize[0] != maskSize[0] || imageSize[1] != maskSize[1])) {
            problems.add(new Problem(pair.mask(), "mask is " + maskSize[0] + "x" + maskSize[1] + " but its image "
                    + pair.image() + " is " + imageSize[0] + "x" + imageSize[1] + " (width x height)"));
        }
        return problems;
    }
}
