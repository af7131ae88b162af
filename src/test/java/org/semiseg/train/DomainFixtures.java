package org.semiseg.train;

import org.semiseg.io.Images;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A second domain for tests of {@code data.domains}: a small folder dataset whose classes (sky, grass) are not the
 * demo's, with colour masks, beside the tiny demo of {@link TrainerTest#TINY}.
 */
public final class DomainFixtures {
    /** The folder dataset's class colours (dataset.yaml's), which the demo's palette does not have. */
    public static final int SKY = 0x3C78DC;
    public static final int GRASS = 0x28B428;

    private DomainFixtures() {
    }

    /**
     * Writes the folder dataset under {@code root}: 8 train and 4 val images of 32 x 32 pixels, the sky above a
     * horizon that moves from image to image, grass below.
     */
    public static Path folder(Path root) {
        try {
            for (String split : List.of("train", "val")) {
                int count = split.equals("train") ? 8 : 4;
                for (int i = 0; i < count; i++) {
                    int horizon = 10 + 2 * i + (split.equals("val") ? 1 : 0);
                    float[] image = new float[3 * 1024];
                    int[] colours = new int[1024];
                    for (int p = 0; p < 1024; p++) {
                        boolean top = p / 32 < horizon;
                        float shade = 0.02f * ((p * 7 + i) % 5);
                        image[p] = (top ? 0.3f : 0.1f) + shade;
                        image[1024 + p] = top ? 0.5f : 0.7f;
                        image[2048 + p] = (top ? 0.9f : 0.1f) - shade;
                        colours[p] = top ? SKY : GRASS;
                    }
                    Images.writeImagePng(root.resolve("images").resolve(split).resolve(i + ".png"), image, 32, 32);
                    BufferedImage rgb = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                    rgb.setRGB(0, 0, 32, 32, colours, 0, 32);
                    Files.createDirectories(root.resolve("masks").resolve(split));
                    ImageIO.write(rgb, "png", root.resolve("masks").resolve(split).resolve(i + ".png").toFile());
                }
            }
            Files.writeString(root.resolve("dataset.yaml"), """
                    classes: [sky, grass]
                    mask_format: rgb
                    colors: {sky: [60, 120, 220], grass: [40, 180, 40]}
                    splits:
                      train: {images: images/train, masks: masks/train}
                      val: {images: images/val, masks: masks/val}
                    """);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tiny demo run ({@link TrainerTest#TINY}) on two domains: {@code shapes}, the demo, and {@code fields}, the
     * folder dataset at {@code folder} (half of its 8 images labeled, batches of 3), with {@code method}.
     */
    public static List<String> twoDomains(Path folder, String method) {
        List<String> out = new ArrayList<>(TrainerTest.TINY);
        out.addAll(List.of("method.name=" + method, "method.cct.min_contour=0",
                "method.cct.decoders={dropout: 2, vat: 1, guided_cutout: 1}",
                "data.domains=[{name: shapes}, {name: fields, dataset: folder, root: '" + folder + "', labeled: '1/2',"
                        + " batch_size: 3}]"));
        return out;
    }
}
