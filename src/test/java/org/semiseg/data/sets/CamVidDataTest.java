package org.semiseg.data.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.semiseg.Needs;
import org.semiseg.data.Sample;

/**
 * The CamVid reader on the real dataset, found at {@code $SEMISEG_CAMVID} (system property or environment variable)
 * or at {@code shared/data/camvid} in the project directory or one of its parents (the project's shared data, which
 * CI has beside its clone). Skipped when absent, except under CI=true. Decoding
 * all 701 pairs takes about 3 s on two cores.
 */
public class CamVidDataTest {
    private static final int IGNORE = 255;

    public static Path camvid() {
        String given = System.getProperty("SEMISEG_CAMVID", System.getenv("SEMISEG_CAMVID"));
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/camvid");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static CamVidLayout layout() {
        Path root = camvid();
        Needs.present(root != null && Files.isDirectory(root.resolve("train")), "CamVid at shared/data/camvid in or beside the"
                + " project (or $SEMISEG_CAMVID)");
        return (CamVidLayout) DatasetLayouts.open("camvid", root, null);
    }

    @Test
    void splitsHaveTheSegNetSizesAndPassTheFastCheck() {
        CamVidLayout layout = layout();
        assertEquals(11, layout.classNames().size());
        Map<String, List<FilePair>> splits = new LinkedHashMap<>();
        for (String split : layout.splitNames()) {
            Listing listing = layout.list(split);
            assertTrue(listing.problems().isEmpty(), listing.problems().toString());
            splits.put(split, listing.pairs());
        }
        assertEquals(367, splits.get("train").size());
        assertEquals(101, splits.get("val").size());
        assertEquals(233, splits.get("test").size());
        CheckReport report = DataCheck.check(layout, splits, List.of(), false, IGNORE, 2);
        assertTrue(report.ok(), report.summary());
        assertEquals(Map.of("train", 367, "val", 101, "test", 233), report.labeledPerSplit());
    }

    @Test
    void decodedMaskHoldsOnlyClassesOrIgnore() {
        CamVidLayout layout = layout();
        FilePair first = layout.list("train").pairs().get(0);
        Sample sample = new FileDataset(layout, List.of(first), IGNORE).get(0);
        assertEquals(360, sample.height());
        assertEquals(480, sample.width());
        for (int v : sample.mask()) {
            assertTrue(v >= 0 && v <= 10 || v == IGNORE, "mask value " + v);
        }
    }

    @Test
    void fullCheckPasses() {
        CamVidLayout layout = layout();
        Map<String, List<FilePair>> splits = new LinkedHashMap<>();
        for (String split : layout.splitNames()) {
            splits.put(split, layout.list(split).pairs());
        }
        CheckReport report = DataCheck.check(layout, splits, List.of(), true, IGNORE, 2);
        assertTrue(report.ok(), report.summary());
    }

    /** Pixel shares of the training split as the dataset's README gives them (Road 0.317, void 0.040). */
    @Test
    void trainClassFrequenciesMatchTheReadme() {
        CamVidLayout layout = layout();
        long[] counts = ClassFrequencies.count(layout, layout.list("train").pairs(), IGNORE, 2);
        long all = java.util.Arrays.stream(counts).sum();
        assertEquals(367L * 360 * 480, all);
        assertEquals(0.317, (double) counts[3] / all, 0.001);
        assertEquals(0.040, (double) counts[11] / all, 0.001);
        assertTrue(ClassFrequencies.table(layout.classNames(), counts).contains("Road"));
    }
}
