package org.semiseg.data.sets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.DataCheckFailed;
import org.semiseg.data.Datasets;
import org.semiseg.data.DemoScenes;
import org.semiseg.data.Sample;
import org.semiseg.data.SourceData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Datasets#openSource}: the labeled source dataset ({@code data.source}) next to the built-in demo target. */
class SourceDataTest {
    /** The demo's six classes, so a folder source matches the demo target. */
    private static final String SIX_CLASSES = """
            classes: [background, disc, box, triangle, ring, cross]
            splits:
              train: {images: images/train, masks: masks/train}
              other: {images: images/other, masks: masks/other}
              raw:   {images: images/raw}
            """;

    @TempDir
    Path root;

    private Config config(String... overrides) {
        List<String> all = new ArrayList<>(List.of("data.demo.train_images=4", "data.demo.val_images=2", "data.demo.size=16"));
        all.addAll(Arrays.asList(overrides));
        return ConfigLoader.load(null, all);
    }

    private Config folderSource(String... overrides) {
        List<String> all = new ArrayList<>(List.of("data.source.dataset=folder", "data.source.root=" + root));
        all.addAll(Arrays.asList(overrides));
        return config(all.toArray(String[]::new));
    }

    /** Three 6x4 training images whose masks hold the pixel's column mod 6. */
    private void sixClassTree() {
        Fixtures.text(root.resolve("dataset.yaml"), SIX_CLASSES);
        for (String stem : List.of("a", "b", "c")) {
            Fixtures.image(root.resolve("images/train/" + stem + ".png"), 6, 4);
            Fixtures.gray(root.resolve("masks/train/" + stem + ".png"), 6, 4, columns(6, 4));
        }
    }

    private static int[] columns(int w, int h) {
        int[] v = new int[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % w) % 6;
        }
        return v;
    }

    @Test
    void noSourceIsNull() {
        assertNull(Datasets.openSource(config()));
    }

    @Test
    void aFolderSourceIsEveryImageOfItsTrainingSplitWithItsMask() {
        sixClassTree();
        SourceData source = Datasets.openSource(folderSource());
        assertEquals(List.of(0, 1, 2), source.indices());
        assertEquals(3, source.dataset().size());
        assertEquals(6, source.numClasses());
        Sample first = source.dataset().get(0);
        assertEquals("images/train/a.png", first.id());
        assertEquals(4, first.height());
        assertEquals(6, first.width());
        assertArrayEquals(columns(6, 4), first.mask());
        assertTrue(source.description().contains("split train") && source.description().contains("3 images"),
                source.description());
    }

    @Test
    void aNamedSplitIsUsedAndAnUnknownOneIsRefusedByKey() {
        sixClassTree();
        Fixtures.image(root.resolve("images/other/z.png"), 6, 4);
        Fixtures.gray(root.resolve("masks/other/z.png"), 6, 4, 1);
        SourceData other = Datasets.openSource(folderSource("data.source.split=other"));
        assertEquals(1, other.dataset().size());
        assertEquals("images/other/z.png", other.dataset().get(0).id());
        SemisegException e = assertThrows(SemisegException.class, () -> Datasets.openSource(folderSource("data.source.split=test")));
        assertTrue(e.getMessage().startsWith("data.source.split: ") && e.getMessage().contains("'test'"), e.getMessage());
    }

    @Test
    void aClassCountOtherThanTheTargetsIsRefused() {
        Fixtures.text(root.resolve("dataset.yaml"), "name: binary\nclasses: [background, lesion]\n"
                + "splits: {train: {images: images/train, masks: masks/train}}\n");
        Fixtures.image(root.resolve("images/train/a.png"), 4, 4);
        Fixtures.gray(root.resolve("masks/train/a.png"), 4, 4, 1);
        SemisegException e = assertThrows(SemisegException.class, () -> Datasets.openSource(folderSource()));
        assertEquals("data.source.dataset: binary has 2 classes but the target dataset demo has 6; the source must share"
                + " the target's classes", e.getMessage());
    }

    @Test
    void anImageWithoutItsMaskIsAnErrorNamingIt() {
        sixClassTree();
        Fixtures.image(root.resolve("images/train/lonely.png"), 6, 4);
        DataCheckFailed checked = assertThrows(DataCheckFailed.class, () -> Datasets.openSource(folderSource()));
        assertTrue(checked.getMessage().contains("images/train/lonely.png: no mask for this image"), checked.getMessage());
        SemisegException unchecked = assertThrows(SemisegException.class,
                () -> Datasets.openSource(folderSource("data.check=\"off\"")));
        assertFalse(unchecked instanceof DataCheckFailed);
        assertTrue(unchecked.getMessage().startsWith("data.source.split: ")
                && unchecked.getMessage().contains("images/train/lonely.png"), unchecked.getMessage());
    }

    @Test
    void aSplitWithoutMasksIsRefused() {
        sixClassTree();
        Fixtures.image(root.resolve("images/raw/r.png"), 6, 4);
        SemisegException e = assertThrows(SemisegException.class, () -> Datasets.openSource(folderSource("data.source.split=raw")));
        assertTrue(e.getMessage().contains("images/raw/r.png") && e.getMessage().contains("has no mask"), e.getMessage());
    }

    @Test
    void theDataCheckRunsOnTheSourceSplit() {
        sixClassTree();
        Fixtures.gray(root.resolve("masks/train/b.png"), 5, 4, 0);
        DataCheckFailed e = assertThrows(DataCheckFailed.class, () -> Datasets.openSource(folderSource()));
        assertEquals(1, e.report().problems().size());
        assertEquals("masks/train/b.png", e.report().problems().get(0).file());
        assertEquals(3, e.report().imagesPerSplit().get("source train"));
        Datasets.openSource(folderSource("data.check=\"off\""));
    }

    @Test
    void resizeApplies() {
        sixClassTree();
        Sample half = Datasets.openSource(folderSource("data.source.resize=0.5")).dataset().get(1);
        assertEquals(2, half.height());
        assertEquals(3, half.width());
        assertEquals(3 * 2 * 3, half.image().length, "3 channels of 2x3 pixels");
        assertEquals(2 * 3, half.mask().length);
        Sample fixed = Datasets.openSource(folderSource("data.source.resize=[8, 12]")).dataset().get(1);
        assertEquals(8, fixed.height());
        assertEquals(12, fixed.width());
        assertEquals(8 * 12, fixed.mask().length);
        Sample target = Datasets.open(config("data.resize=0.5", "data.source.dataset=demo")).train().get(0);
        assertEquals(8, target.height(), "data.resize still applies to the target");
        Sample demoSource = Datasets.openSource(config("data.source.dataset=demo", "data.source.resize=[24, 32]")).dataset().get(0);
        assertEquals(24, demoSource.height());
        assertEquals(32, demoSource.width());
    }

    @Test
    void aDemoSourceIsTheDemoWithAnotherGeneratorSeed() {
        Config c = config("data.source.dataset=demo");
        SourceData source = Datasets.openSource(c);
        assertEquals(4, source.dataset().size(), "data.demo.train_images");
        assertEquals(List.of(0, 1, 2, 3), source.indices());
        assertEquals(DemoScenes.CLASS_NAMES, source.dataset().classNames());
        Sample s = source.dataset().get(0);
        assertEquals(16, s.height());
        assertArrayEquals(DemoScenes.split(7 + Datasets.SOURCE_DEMO_SEED_OFFSET, "train", 4, 16).get(0).image(), s.image());
        assertFalse(Arrays.equals(Datasets.open(c).train().get(0).image(), s.image()), "not the target's scenes");
        assertEquals(2, Datasets.openSource(config("data.source.dataset=demo", "data.source.split=val")).dataset().size());
        SemisegException e = assertThrows(SemisegException.class,
                () -> Datasets.openSource(config("data.source.dataset=demo", "data.source.split=test")));
        assertTrue(e.getMessage().startsWith("data.source.split: "), e.getMessage());
    }

    @Test
    void aMissingRootIsNamedAsTheSources() {
        SemisegException e = assertThrows(SemisegException.class,
                () -> Datasets.openSource(folderSource("data.source.root=" + root.resolve("nowhere"))));
        assertTrue(e.getMessage().startsWith("data.source: ") && e.getMessage().contains("nowhere"), e.getMessage());
    }
}
