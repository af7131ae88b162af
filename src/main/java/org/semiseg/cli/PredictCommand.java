package org.semiseg.cli;

import org.semiseg.SemisegException;
import org.semiseg.data.Palette;
import org.semiseg.data.Sample;
import org.semiseg.io.Images;
import org.semiseg.train.TrainedModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code semiseg predict}: label, colour-mask and overlay PNGs for every image of a folder. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Segment every PNG/JPEG of --input with the model of --run or --checkpoint (a checkpoint folder needs"
                + " nothing beside it); writes labels/<name>.png (class indices), color/<name>.png and overlay/<name>.png under --output.")
public final class PredictCommand implements Callable<Integer> {
    @ArgGroup(multiplicity = "1")
    ModelSource source;

    @Option(names = "--input", paramLabel = "DIR", required = true, description = "folder of images")
    Path input;

    @Option(names = "--output", paramLabel = "DIR", required = true, description = "folder for the PNGs")
    Path output;

    @Option(names = "--domain", paramLabel = "NAME",
            description = "a run on several domains (data.domains): the domain whose network and classes label the images"
                    + " (default: the first)")
    String domain;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() {
        List<Path> images = listImages(input);
        List<String> all = options.allOverrides();
        try (TrainedModel model = source.open(all, domain)) {
            Palette palette = model.palette();
            for (String sub : new String[] {"labels", "color", "overlay"}) {
                createDirectories(output.resolve(sub));
            }
            for (Path file : images) {
                Sample image = Images.readImage(file);
                int[] labels = model.predict(image);
                String name = image.id() + ".png";
                Images.writeLabelPng(output.resolve("labels").resolve(name), labels, image.height(), image.width());
                Images.writeColorMaskPng(output.resolve("color").resolve(name), labels, image.height(), image.width(), palette);
                Images.writeOverlayPng(output.resolve("overlay").resolve(name), image, labels, palette, 0.5);
            }
            System.out.println("wrote " + images.size() + " predictions to " + output);
            return 0;
        }
    }

    private static List<Path> listImages(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new SemisegException("--input " + dir + " is not a folder");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> images = files.filter(f -> {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted().toList();
            if (images.isEmpty()) {
                throw new SemisegException("--input " + dir + " holds no .png, .jpg or .jpeg files");
            }
            return images;
        } catch (IOException e) {
            throw new SemisegException("cannot list --input " + dir + ": " + e.getMessage());
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SemisegException("cannot create output folder " + dir + ": " + e.getMessage());
        }
    }
}
