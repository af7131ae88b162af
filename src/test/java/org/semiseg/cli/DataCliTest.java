package org.semiseg.cli;

import org.junit.jupiter.api.BeforeEach;
import org.semiseg.Needs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.data.sets.CamVidDataTest;
import org.semiseg.io.Images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code semiseg data} and training on datasets on disk, including refusal of bad data before any step. */
class DataCliTest {
    /** A tiny supervised CamVid-layout run: 16x16 images, 3 iterations (later {@code --set}s override it). */
    static final List<String> TINY_FILES = List.of("method.name=supervised", "data.dataset=camvid", "train.iterations=3", "train.batch_size=2",
            "train.log_every=1", "train.eval_every=0", "train.checkpoint_every=3", "model.width=0.125",
            "data.labeled=1/2", "augment.crop=[16, 16]", "eval.batch_size=2");

    @TempDir
    Path dir;
    Path root;
    @RegisterExtension
    final Console console = new Console();

    @BeforeEach
    void setUp() throws IOException {
        root = dir.resolve("camvid");
        writeSplit("train", 8);
        writeSplit("val", 2);
        writeSplit("test", 2);
    }

    private void writeSplit(String split, int count) throws IOException {
        writeCamVidSplit(root, split, count);
    }

    /** A CamVid-layout split of 16x16 images: a bright left half labeled Road (3), a dark right half Sky (0), one void pixel. */
    static void writeCamVidSplit(Path root, String split, int count) throws IOException {
        Files.createDirectories(root.resolve(split));
        Files.createDirectories(root.resolve(split + "annot"));
        SplittableRandom rng = new SplittableRandom(split.hashCode());
        for (int i = 0; i < count; i++) {
            float[] image = new float[3 * 16 * 16];
            int[] mask = new int[16 * 16];
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    boolean left = x < 8;
                    for (int c = 0; c < 3; c++) {
                        image[(c * 16 + y) * 16 + x] = (float) ((left ? 0.8 : 0.2) + 0.1 * rng.nextDouble());
                    }
                    mask[y * 16 + x] = left ? 3 : 0;
                }
            }
            mask[0] = 11;
            String name = String.format("seq_%03d.png", i);
            Images.writeImagePng(root.resolve(split).resolve(name), image, 16, 16);
            Images.writeLabelPng(root.resolve(split + "annot").resolve(name), mask, 16, 16);
        }
    }

    private String err() {
        return console.err().strip();
    }

    private String[] train(Path runDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--out", runDir.toString(), "--set", "data.root=" + root));
        for (String s : TINY_FILES) {
            args.add("--set");
            args.add(s);
        }
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void supervisedOnEveryLabelTrains() {
        // no unlabeled images at all: the data check must not call the empty unlabeled role a problem
        assertEquals(0, console.run(train(dir.resolve("all"), "--set", "data.labeled=all")), err());
        assertTrue(err().contains("(8 labeled, 2 val images)"), err());
    }

    @Test
    void validationImagesCarvedFromTrainAreWrittenWithTheRunsSplit() throws IOException {
        Path runDir = dir.resolve("carved");
        assertEquals(0, console.run(train(runDir, "--set", "data.val_from_train.share=2")), err());
        assertTrue(err().contains("(3 labeled, 2 val images)"), err());   // supervised: 6 left, half labeled
        List<String> val = Files.readAllLines(runDir.resolve("split/val.txt"));
        assertEquals(2, val.size());
        List<String> training = new ArrayList<>(Files.readAllLines(runDir.resolve("split/labeled.txt")));
        Files.readAllLines(runDir.resolve("split/unlabeled.txt")).forEach(l -> training.add(l + " " + l.replace("train/", "trainannot/")));
        assertEquals(6, training.size());
        assertTrue(val.stream().allMatch(v -> v.startsWith("train/") && !training.contains(v)), val + " " + training);
        // the split folder alone gives the same validation images
        assertEquals(0, console.run("data", "check", "--dataset", "camvid", "--root", root.toString(), "--fast", "--split", "train",
                "--split-dir", runDir.resolve("split").toString()), err());
        assertTrue(console.out().contains("val.txt: 2 images"), console.out());
    }

    @Test
    void splitWritesPairListsAndRefusesToOverwrite() throws IOException {
        Path splits = dir.resolve("splits");
        assertEquals(0, console.run("data", "split", "--dataset", "camvid", "--root", root.toString(), "--labeled", "1/4",
                "--seed", "1", "--out", splits.toString()), err());
        List<String> labeled = Files.readAllLines(splits.resolve("labeled.txt"));
        assertEquals(2, labeled.size());
        assertTrue(labeled.get(0).matches("train/seq_\\d{3}\\.png trainannot/seq_\\d{3}\\.png"), labeled.get(0));
        assertEquals(6, Files.readAllLines(splits.resolve("unlabeled.txt")).size());
        assertEquals(2, console.run("data", "split", "--dataset", "camvid", "--root", root.toString(), "--seed", "1",
                "--out", splits.toString()));
        assertFalse(err().contains("\n"), err());
        assertTrue(err().contains(splits.resolve("labeled.txt").toString()) && err().contains("--force"), err());
        assertEquals(labeled, Files.readAllLines(splits.resolve("labeled.txt")), "a refused split leaves the files as they were");
    }

    @Test
    void withoutASeedThreeSplitsAreWritten() {
        Path splits = dir.resolve("three");
        assertEquals(0, console.run("data", "split", "--dataset", "camvid", "--root", root.toString(), "--labeled", "3",
                "--out", splits.toString()), err());
        for (String seed : List.of("seed1", "seed2", "seed3")) {
            assertTrue(Files.isRegularFile(splits.resolve(seed).resolve("labeled.txt")), seed);
        }
    }

    @Test
    void checkPassesGoodDataAndNamesEachBadFile() throws IOException {
        assertEquals(0, console.run("data", "check", "--dataset", "camvid", "--root", root.toString()), err());
        assertTrue(console.out().contains("train: 8 images"), console.out());
        Files.write(root.resolve("train/seq_002.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Images.writeLabelPng(root.resolve("valannot/seq_001.png"), new int[64], 8, 8);
        Images.writeLabelPng(root.resolve("testannot/seq_000.png"), new int[256], 16, 16);
        int[] bad = new int[256];
        bad[5] = 40;
        Images.writeLabelPng(root.resolve("testannot/seq_000.png"), bad, 16, 16);
        Files.delete(root.resolve("trainannot/seq_005.png"));
        assertEquals(2, console.run("data", "check", "--dataset", "camvid", "--root", root.toString()));
        String text = err();
        for (String named : List.of("train/seq_002.png", "valannot/seq_001.png", "testannot/seq_000.png", "train/seq_005.png")) {
            assertTrue(text.contains(named), named + " not named in:\n" + text);
        }
        assertTrue(text.lines().reduce((a, b) -> b).orElse("").startsWith("semiseg: error: data check of camvid"), text);
    }

    @Test
    void statsPrintsFrequenciesAndBalancingWeights() {
        assertEquals(0, console.run("data", "stats", "--dataset", "camvid", "--root", root.toString()), err());
        String text = console.out();
        assertTrue(text.contains("Road") && text.contains("Sky") && text.contains("weight"), text);
    }

    @Test
    void dataCommandsRefuseTheDemoAndUnknownDatasets() {
        assertEquals(2, console.run("data", "check"));
        assertTrue(err().contains("--dataset NAME --root DIR"), err());
        assertEquals(2, console.run("data", "check", "--dataset", "kitti", "--root", root.toString()));
        assertTrue(err().contains("data.dataset") && err().contains("camvid"), err());
        assertEquals(2, console.run("data", "check", "--dataset", "camvid", "--root", dir.resolve("nowhere").toString()));
        assertTrue(err().contains("nowhere"), err());
    }

    @Test
    void trainsOnFilesWithAndWithoutSplitFiles() throws IOException {
        assertEquals(0, console.run(train(dir.resolve("drawn"))), err());
        assertTrue(console.out().contains("Road"));
        Path splits = dir.resolve("splits");
        assertEquals(0, console.run("data", "split", "--dataset", "camvid", "--root", root.toString(), "--labeled", "2",
                "--seed", "4", "--out", splits.toString()), err());
        assertEquals(0, console.run(train(dir.resolve("from-files"), "--set", "data.split_dir=" + splits)), err());
        String config = Files.readString(dir.resolve("from-files/config.yaml"));
        assertTrue(config.contains("split_dir: " + splits.toAbsolutePath()), config);
        assertEquals(0, console.run("evaluate", "--run", dir.resolve("from-files").toString(), "--split", "test",
                "--out", dir.resolve("eval-test").toString()), err());
        assertTrue(Files.isRegularFile(dir.resolve("eval-test/eval.json")));
        // each run keeps the list of images it learned from, readable back as data.split_dir
        assertEquals(Files.readAllLines(splits.resolve("labeled.txt")),
                Files.readAllLines(dir.resolve("from-files/split/labeled.txt")));
        List<String> drawn = Files.readAllLines(dir.resolve("drawn/split/labeled.txt"));
        List<String> drawnUnlabeled = Files.readAllLines(dir.resolve("drawn/split/unlabeled.txt"));
        assertEquals(List.of(4, 4), List.of(drawn.size(), drawnUnlabeled.size()), drawn + " " + drawnUnlabeled);
        assertTrue(drawnUnlabeled.stream().noneMatch(drawn::contains) && drawnUnlabeled.stream().noneMatch(l -> l.contains(" ")),
                drawnUnlabeled.toString());
        assertEquals(0, console.run(train(dir.resolve("again"), "--set", "data.split_dir=" + dir.resolve("drawn/split"))), err());
        assertEquals(drawn, Files.readAllLines(dir.resolve("again/split/labeled.txt")));
    }

    @Test
    void badDataIsRefusedBeforeTrainingAndLeavesAnExistingRunIntact() throws IOException {
        Path runDir = dir.resolve("run");
        assertEquals(0, console.run(train(runDir)), err());
        byte[] before = Files.readAllBytes(runDir.resolve("checkpoints/last/model.safetensors"));
        Images.writeLabelPng(root.resolve("valannot/seq_001.png"), new int[64], 8, 8);
        assertEquals(2, console.run(train(runDir, "--force")));
        assertTrue(err().contains("valannot/seq_001.png") && err().contains("8x8"), err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(runDir.resolve("checkpoints/last/model.safetensors"))));
        assertEquals(2, console.run(train(dir.resolve("other"))));
        assertFalse(Files.exists(dir.resolve("other")), "a refused run creates no folder");
    }

    @Test
    void folderDatasetWithBinaryMasksAndRawUnlabeledImages() throws IOException {
        Path folder = dir.resolve("lesions");
        for (String split : List.of("train", "val")) {
            Files.createDirectories(folder.resolve("images").resolve(split));
            Files.createDirectories(folder.resolve("masks").resolve(split));
            for (int i = 0; i < 4; i++) {
                int[] mask = new int[256];
                float[] image = new float[3 * 256];
                for (int p = 0; p < 256; p++) {
                    boolean object = (p % 16) >= 4 + i && (p / 16) >= 4;
                    mask[p] = object ? 255 : 0;
                    image[p] = image[256 + p] = image[512 + p] = object ? 0.9f : 0.1f;
                }
                Images.writeImagePng(folder.resolve("images").resolve(split).resolve("x" + i + ".png"), image, 16, 16);
                Images.writeLabelPng(folder.resolve("masks").resolve(split).resolve("x" + i + ".png"), mask, 16, 16);
            }
        }
        Files.createDirectories(folder.resolve("raw"));
        for (int i = 0; i < 5; i++) {
            Images.writeImagePng(folder.resolve("raw").resolve("r" + i + ".png"), new float[3 * 256], 16, 16);
        }
        Files.writeString(folder.resolve("dataset.yaml"), """
                classes: [background, lesion]
                values: {0: 0, 255: 1}
                splits:
                  train: {images: images/train, masks: masks/train}
                  val: {images: images/val, masks: masks/val}
                  raw: {images: raw}
                """);
        assertEquals(0, console.run("data", "check", "--dataset", "folder", "--root", folder.toString()), err());
        List<String> args = new ArrayList<>(List.of(train(dir.resolve("run"))));
        args.addAll(List.of("--set", "data.dataset=folder", "--set", "data.root=" + folder,
                "--set", "data.unlabeled_split=raw", "--set", "method.name=supervised"));
        assertEquals(0, console.run(args.toArray(String[]::new)), err());
        assertTrue(err().contains("(2 labeled, 4 val images)"), err());   // supervised reads no unlabeled image
        assertTrue(console.out().contains("lesion"));
        // a broken unlabeled image is still bad data, for every method, before any step
        Files.write(folder.resolve("raw/r0.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        args.add("--force");
        assertEquals(2, console.run(args.toArray(String[]::new)));
        assertTrue(err().contains("raw/r0.png"), err());
        Files.writeString(folder.resolve("dataset.yaml"), "classes: [background, lesion]\nvalues: {0: 0}\nsplits:\n"
                + "  train: {images: images/train, masks: masks/train}\n");
        assertEquals(2, console.run("data", "check", "--dataset", "folder", "--root", folder.toString(), "--split", "train"));
        assertTrue(err().contains("masks/train/x0.png") && err().contains("255"), err());
        assertEquals(0, console.run("data", "check", "--dataset", "folder", "--root", folder.toString(), "--fast", "--split", "train"),
                "the fast check reads headers only");
    }

    @Test
    void camvidSplitMatchesTheIssueCommandLine() throws IOException {
        Path camvid = CamVidDataTest.camvid();
        Needs.present(camvid != null, "CamVid at shared/data/camvid in or beside the project (or $SEMISEG_CAMVID)");
        Path splits = dir.resolve("camvid-1-8");
        assertEquals(0, console.run("data", "split", "--dataset", "camvid", "--root", camvid.toString(), "--labeled", "1/8",
                "--seed", "1", "--out", splits.toString()), err());
        assertEquals(46, Files.readAllLines(splits.resolve("labeled.txt")).size());
        assertEquals(321, Files.readAllLines(splits.resolve("unlabeled.txt")).size());
    }
}
