package org.semiseg.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.io.Images;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checkpoint folder shipped on its own: it keeps the class names and colours, so {@code predict --checkpoint}
 * labels images without the dataset, and {@code evaluate --checkpoint} needs only the data it evaluates.
 */
class CheckpointOnlyTest {
    private static final int SKY = 0x3C78DC;
    private static final int GRASS = 0x28B428;

    @TempDir
    Path dir;
    @RegisterExtension
    final Console console = new Console();

    /** A two-class folder dataset with colour masks: the top half of each image sky, the bottom grass. */
    private Path dataset(Path root) throws IOException {
        for (String split : List.of("train", "val")) {
            for (int i = 0; i < 4; i++) {
                float[] image = new float[3 * 256];
                int[] mask = new int[256];
                for (int p = 0; p < 256; p++) {
                    boolean top = p / 16 < 8;
                    image[p] = top ? 0.3f : 0.1f;
                    image[256 + p] = top ? 0.5f : 0.7f;
                    image[512 + p] = top ? 0.9f : 0.1f + 0.01f * i;
                    mask[p] = top ? 0 : 1;
                }
                Images.writeImagePng(root.resolve("pictures").resolve(split + i + ".png"), image, 16, 16);
                int[] colours = new int[256];
                for (int p = 0; p < 256; p++) {
                    colours[p] = mask[p] == 0 ? SKY : GRASS;
                }
                BufferedImage rgb = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
                rgb.setRGB(0, 0, 16, 16, colours, 0, 16);
                Files.createDirectories(root.resolve("labels"));
                ImageIO.write(rgb, "png", root.resolve("labels").resolve(split + i + "_label.png").toFile());
            }
        }
        Files.writeString(root.resolve("dataset.yaml"), """
                classes: [sky, grass]
                mask_format: rgb
                colors: {sky: [60, 120, 220], grass: [40, 180, 40]}
                masks: {pattern: "{id}_label.png"}
                splits:
                  train: {images: pictures, masks: labels}
                """);
        return root;
    }

    @Test
    void predictAndEvaluateFromACheckpointFolderAlone() throws IOException {
        Path data = dataset(dir.resolve("data"));
        Path runDir = dir.resolve("run");
        List<String> args = new ArrayList<>(List.of("train", "--out", runDir.toString()));
        for (String s : DataCliTest.TINY_FILES) {
            args.addAll(List.of("--set", s));
        }
        args.addAll(List.of("--set", "data.dataset=folder", "--set", "data.root=" + data, "--set", "data.labeled=all"));
        assertEquals(0, console.run(args.toArray(String[]::new)), console.err());
        assertTrue(Files.readString(runDir.resolve("checkpoints/last/state.json")).contains("\"grass\""));

        // ship the checkpoint folder alone; the dataset and the run are gone
        Path shipped = dir.resolve("elsewhere/model");
        copyTree(runDir.resolve("checkpoints/last"), shipped);
        Path images = Files.createDirectories(dir.resolve("photos"));
        Files.copy(data.resolve("pictures/val0.png"), images.resolve("photo.png"));
        deleteTree(runDir);
        deleteTree(data);

        Path out = dir.resolve("predictions");
        assertEquals(0, console.run("predict", "--checkpoint", shipped.toString(), "--input", images.toString(),
                "--output", out.toString()), console.err());
        BufferedImage colour = ImageIO.read(out.resolve("color/photo.png").toFile());
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                seen.add(colour.getRGB(x, y) & 0xFFFFFF);
            }
        }
        assertTrue(Set.of(SKY, GRASS).containsAll(seen), "the dataset's own colours, from the checkpoint: " + seen);

        // evaluate needs the data it evaluates, and says where it looked
        assertEquals(Main.EXIT_INPUT, console.run("evaluate", "--checkpoint", shipped.toString(), "--out", dir.resolve("e").toString()));
        console.assertOneLineError(data.toString());
        Path moved = dataset(dir.resolve("moved"));
        assertEquals(0, console.run("evaluate", "--checkpoint", shipped.toString(), "--set", "data.root=" + moved,
                "--out", dir.resolve("e").toString()), console.err());
        assertTrue(console.out().contains("grass"), console.out());

        // a checkpoint from before the class names were kept needs its dataset, and says how to give it
        Path state = shipped.resolve("state.json");
        Files.writeString(state, Files.readString(state).replaceAll("(?s),\\s*\"classes\"\\s*:\\s*\\{.*\\}\\s*}\\s*$", "\n}\n"));
        assertFalse(Files.readString(state).contains("grass"), Files.readString(state));
        assertEquals(Main.EXIT_INPUT, console.run("predict", "--checkpoint", shipped.toString(), "--input", images.toString(),
                "--output", out.toString()));
        console.assertOneLineError("--set data.root=DIR", data.toString());
        assertEquals(0, console.run("predict", "--checkpoint", shipped.toString(), "--set", "data.root=" + moved,
                "--input", images.toString(), "--output", out.toString()), console.err());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
