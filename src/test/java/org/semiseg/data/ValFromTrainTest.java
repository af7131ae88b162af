package org.semiseg.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.sets.FilePair;
import org.semiseg.io.Images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code data.val_from_train}: validation images carved from a training split that has no val split beside it. */
class ValFromTrainTest {
    @TempDir
    Path dir;
    Path root;

    /** A folder dataset with a train and a test split only, 20 training images of 4x4 pixels. */
    @BeforeEach
    void dataset() throws IOException {
        root = dir.resolve("data");
        for (int i = 0; i < 20; i++) {
            image("train", String.format("t%02d", i));
        }
        image("test", "q0");
        Files.writeString(root.resolve("dataset.yaml"), """
                classes: [a, b]
                splits:
                  train: {images: img/train, masks: gt/train}
                  test: {images: img/test, masks: gt/test}
                """);
    }

    private void image(String split, String id) throws IOException {
        Files.createDirectories(root.resolve("img").resolve(split));
        Files.createDirectories(root.resolve("gt").resolve(split));
        Images.writeImagePng(root.resolve("img").resolve(split).resolve(id + ".png"), new float[48], 4, 4);
        Images.writeLabelPng(root.resolve("gt").resolve(split).resolve(id + ".png"), new int[16], 4, 4);
    }

    private Config config(String... more) {
        List<String> overrides = new ArrayList<>(List.of("data.dataset=folder", "data.root=" + root,
                "data.val_from_train.share=1/5", "data.labeled=\"1/4\""));
        overrides.addAll(List.of(more));
        return ConfigLoader.load(null, overrides);
    }

    private static Set<String> images(List<FilePair> pairs) {
        Set<String> out = new HashSet<>();
        pairs.forEach(p -> out.add(p.image()));
        return out;
    }

    private static Set<String> roles(DataSplits splits, String role) {
        return images(splits.sources().splits().getOrDefault(role, List.of()));
    }

    @Test
    void carvedImagesAreDisjointFromTrainingAndTheSameForEverySplitSeedAndShare() {
        DataSplits one = Datasets.open(config("data.split_seed=1"));
        Set<String> val = roles(one, "val");
        assertEquals(4, val.size(), "a fifth of 20");
        assertTrue(val.stream().allMatch(v -> v.startsWith("img/train/")), val.toString());
        assertTrue(one.sources().valListed());
        Set<String> labeled = roles(one, "labeled");
        Set<String> unlabeled = roles(one, "unlabeled");
        assertEquals(4, labeled.size(), "a quarter of the 16 left");
        assertEquals(12, unlabeled.size());
        for (String v : val) {
            assertTrue(!labeled.contains(v) && !unlabeled.contains(v), v + " is both validated on and trained from");
        }
        DataSplits other = Datasets.open(config("data.split_seed=2", "data.labeled=all"));
        assertEquals(val, roles(other, "val"), "the split seed and share do not move the validation images");
        assertNotEquals(labeled, roles(Datasets.open(config("data.split_seed=2")), "labeled"));
        assertNotEquals(val, roles(Datasets.open(config("data.val_from_train.seed=2")), "val"));
        assertEquals(4, Datasets.evaluationSplit(config(), "val").size());
        assertEquals(16, Datasets.evaluationSplit(config(), "train").size(), "train: what is left to train from");
    }

    @Test
    void anotherFileMovesAtMostOneImage() throws IOException {
        Set<String> before = roles(Datasets.open(config()), "val");
        image("train", "t20");
        Set<String> after = roles(Datasets.open(config()), "val");
        assertEquals(4, after.size());
        Set<String> allowed = new HashSet<>(before);
        allowed.add("img/train/t20.png");
        assertTrue(allowed.containsAll(after), before + " -> " + after);
    }

    @Test
    void splitFilesKeepTheCarvedImagesAndRefuseToTrainOnThem() throws IOException {
        Config config = config();
        TrainingSplits.TrainingSplit training = TrainingSplits.trainingSplit(config.data(), Datasets.layout(config.data()), new ArrayList<>());
        Path splits = dir.resolve("splits");
        SplitFiles.write(splits, training.split());
        SplitFiles.writeVal(splits, training.carvedVal());
        // split files with their val.txt give the same run data without data.val_from_train
        DataSplits fromFiles = Datasets.open(ConfigLoader.load(null, List.of("data.dataset=folder", "data.root=" + root,
                "data.split_dir=" + splits)));
        assertEquals(images(training.carvedVal()), roles(fromFiles, "val"));
        assertEquals(images(training.split().labeled()), roles(fromFiles, "labeled"));
        assertTrue(fromFiles.sources().valListed());
        // and with it they must agree
        assertEquals(images(training.carvedVal()), roles(Datasets.open(config("data.split_dir=" + splits)), "val"));
        List<String> valLines = Files.readAllLines(splits.resolve("val.txt"));
        Files.write(splits.resolve("val.txt"), valLines.subList(1, valLines.size()));
        SemisegException differ = assertThrows(SemisegException.class, () -> Datasets.open(config("data.split_dir=" + splits)));
        assertTrue(differ.getMessage().contains("val.txt lists other validation images than data.val_from_train"), differ.getMessage());
        // a labeled list that names a carved image is refused
        String carved = training.carvedVal().get(0).image();
        Files.writeString(splits.resolve("labeled.txt"), carved + "\n");
        Files.delete(splits.resolve("val.txt"));
        SemisegException leak = assertThrows(SemisegException.class, () -> Datasets.open(config("data.split_dir=" + splits)));
        assertTrue(leak.getMessage().contains(carved) && leak.getMessage().contains("kept out of training"), leak.getMessage());
    }

    @Test
    void badSettingsAreNamed() {
        ConfigException all = assertThrows(ConfigException.class, () -> config("data.val_from_train.share=all"));
        assertTrue(all.getMessage().contains("data.val_from_train.share"), all.getMessage());
        ConfigException both = assertThrows(ConfigException.class, () -> config("data.val_split=test"));
        assertTrue(both.getMessage().contains("data.val_split"), both.getMessage());
        ConfigException demo = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(null, List.of("data.val_from_train.share=0.1")));
        assertTrue(demo.getMessage().contains("demo"), demo.getMessage());
        assertEquals("0.1", config("data.val_from_train.share=0.1").data().valFromTrain().share(), "a number is a share too");
        SemisegException most = assertThrows(SemisegException.class, () -> Datasets.open(config("data.val_from_train.share=20")));
        assertTrue(most.getMessage().contains("takes all 20"), most.getMessage());
    }
}
