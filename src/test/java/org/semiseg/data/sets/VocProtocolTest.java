package org.semiseg.data.sets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.Datasets;
import org.semiseg.data.SplitFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pascal VOC's two semi-supervised protocols, as {@code train} draws them. */
class VocProtocolTest {
    @TempDir
    Path root;

    /** 8 finely annotated training images (t0..t7), 16 more in the SBD set only (s0..s15), 2 val images. */
    private void tree() {
        List<String> fine = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fine.add("t" + i);
        }
        List<String> all = new ArrayList<>(fine);
        for (int i = 0; i < 16; i++) {
            all.add("s" + i);
        }
        all.addAll(List.of("v0", "v1"));
        for (String stem : all) {
            Fixtures.image(root.resolve("JPEGImages/" + stem + ".jpg"), 3, 2);
            Fixtures.gray(root.resolve("SegmentationClassAug/" + stem + ".png"), 3, 2, 0, 1, 2, 3, 4, 5);
        }
        for (String stem : List.of("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "v0", "v1")) {
            Fixtures.palette(root.resolve("SegmentationClass/" + stem + ".png"), 3, 2, 0, 1, 2, 3, 4, 5);
        }
        Fixtures.text(root.resolve("ImageSets/Segmentation/train.txt"), String.join("\n", fine) + "\n");
        Fixtures.text(root.resolve("ImageSets/Segmentation/val.txt"), "v0\nv1\n");
    }

    private SplitFiles.Split split(String protocol, String labeled) {
        Config c = ConfigLoader.load(null, List.of("data.dataset=voc", "data.root=" + root, "data.voc_protocol=" + protocol,
                "data.labeled=\"" + labeled + "\""));
        return Datasets.split(c.data(), Datasets.layout(c.data()), new ArrayList<>());
    }

    @Test
    void classicDrawsLabeledFromTheFineSetAndTheRestOfTheAugmentedSetIsUnlabeled() {
        tree();
        SplitFiles.Split s = split("classic", "1/4");
        assertEquals(2, s.labeled().size(), "1/4 of the 8 fine images");
        for (FilePair p : s.labeled()) {
            assertTrue(p.image().startsWith("JPEGImages/t") && p.mask().startsWith("SegmentationClass/"), p.toString());
        }
        assertEquals(22, s.unlabeled().size(), "the 24 augmented training images minus the 2 labeled");
        assertTrue(s.unlabeled().stream().noneMatch(p -> s.labeled().stream().anyMatch(l -> l.image().equals(p.image()))));
        assertTrue(s.unlabeled().stream().noneMatch(p -> p.image().contains("/v")), "val never trains");
    }

    @Test
    void augmentedDrawsLabeledFromAllTrainingImages() {
        tree();
        SplitFiles.Split s = split("augmented", "1/4");
        assertEquals(6, s.labeled().size(), "1/4 of the 24 augmented training images");
        assertEquals(18, s.unlabeled().size());
        assertTrue(s.labeled().stream().allMatch(p -> p.mask().startsWith("SegmentationClassAug/")));
    }
}
