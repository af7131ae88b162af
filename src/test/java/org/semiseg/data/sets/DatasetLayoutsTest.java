package org.semiseg.data.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;

class DatasetLayoutsTest {
    @TempDir
    Path root;

    @Test
    void opensEachLayoutByName() {
        assertEquals(List.of("camvid", "voc", "cityscapes", "gta5", "folder"), DatasetLayouts.NAMES);
        assertInstanceOf(CamVidLayout.class, DatasetLayouts.open("camvid", root, null));
        assertInstanceOf(VocLayout.class, DatasetLayouts.open("voc", root, null));
        assertInstanceOf(CityscapesLayout.class, DatasetLayouts.open("cityscapes", root, null));
        assertInstanceOf(Gta5Layout.class, DatasetLayouts.open("gta5", root, null));
        Fixtures.text(root.resolve("spec.yaml"), "classes: [a, b]\nsplits: {train: {images: i, masks: m}}\n");
        DatasetLayout folder = DatasetLayouts.open("folder", root, root.resolve("spec.yaml"));
        assertEquals(List.of("a", "b"), folder.classNames());
        assertEquals(root, folder.root());
        for (String name : DatasetLayouts.NAMES) {
            if (!name.equals("folder")) {
                DatasetLayout layout = DatasetLayouts.open(name, root, null);
                assertEquals(name, layout.name());
                assertEquals(layout.classNames().size(), layout.palette().size());
                assertEquals(true, layout.splitNames().contains(layout.trainSplit()) && layout.splitNames().contains(layout.valSplit()));
            }
        }
    }

    @Test
    void unknownNameMissingRootAndMisplacedSpecAreRefused() {
        assertEquals("unknown dataset 'camvd' (datasets: camvid, voc, cityscapes, gta5, folder)",
                assertThrows(SemisegException.class, () -> DatasetLayouts.open("camvd", root, null)).getMessage());
        assertEquals("dataset root " + root.resolve("nope") + " does not exist",
                assertThrows(SemisegException.class, () -> DatasetLayouts.open("camvid", root.resolve("nope"), null)).getMessage());
        Path file = Fixtures.text(root.resolve("file.txt"), "x");
        assertEquals("dataset root " + file + " is not a folder",
                assertThrows(SemisegException.class, () -> DatasetLayouts.open("voc", file, null)).getMessage());
        assertEquals("dataset spec " + file + " applies to dataset 'folder' only, not 'gta5'",
                assertThrows(SemisegException.class, () -> DatasetLayouts.open("gta5", root, file)).getMessage());
        assertEquals(true, assertThrows(SemisegException.class, () -> DatasetLayouts.open("folder", root, null))
                .getMessage().startsWith("dataset spec " + root.resolve("dataset.yaml") + " does not exist"));
    }
}
