package org.semiseg.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.data.DemoScenes;
import org.semiseg.data.Palette;
import org.semiseg.train.DomainFixtures;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code predict --domain} and {@code evaluate --domain} on a run on two domains, and their one-line errors. */
class DomainsCliTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final Console console = new Console();

    private static String[] train(Path out, List<String> overrides) {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
        for (String s : overrides) {
            args.addAll(List.of("--set", s));
        }
        return args.toArray(String[]::new);
    }

    @Test
    void eachDomainPredictsAndEvaluatesWithItsOwnClasses() throws IOException {
        Path fields = DomainFixtures.folder(dir.resolve("fields"));
        Path runDir = dir.resolve("run");
        List<String> overrides = new ArrayList<>(DomainFixtures.twoDomains(fields, "supervised"));
        overrides.addAll(List.of("train.iterations=2", "train.eval_every=0", "train.checkpoint_every=2"));
        assertEquals(0, console.run(train(runDir, overrides)), console.err());
        assertTrue(console.out().contains("domain fields:") && console.out().contains("grass"), console.out());

        Path images = Files.createDirectories(dir.resolve("photos"));
        Files.copy(fields.resolve("images/val/0.png"), images.resolve("photo.png"));
        Path checkpoint = runDir.resolve("checkpoints/last");

        Path outFields = dir.resolve("p-fields");
        assertEquals(0, console.run("predict", "--checkpoint", checkpoint.toString(), "--domain", "fields", "--input",
                images.toString(), "--output", outFields.toString()), console.err());
        Set<Integer> seen = colours(outFields.resolve("color/photo.png"));
        assertTrue(Set.of(DomainFixtures.SKY, DomainFixtures.GRASS).containsAll(seen), "the fields palette: " + seen);

        Set<Integer> demo = new HashSet<>();
        Palette palette = Palette.forClasses(DemoScenes.CLASS_NAMES.size());
        for (int c = 0; c < DemoScenes.CLASS_NAMES.size(); c++) {
            demo.add(palette.rgb(c));
        }
        for (String[] domain : List.of(new String[] {"--domain", "shapes"}, new String[0])) {
            Path outShapes = dir.resolve("p-shapes" + domain.length);
            List<String> args = new ArrayList<>(List.of("predict", "--run", runDir.toString(), "--input",
                    images.toString(), "--output", outShapes.toString()));
            args.addAll(List.of(domain));
            assertEquals(0, console.run(args.toArray(String[]::new)), console.err());
            Set<Integer> shapes = colours(outShapes.resolve("color/photo.png"));
            assertTrue(demo.containsAll(shapes), "the demo's palette (the first domain by default): " + shapes);
        }

        assertEquals(0, console.run("evaluate", "--run", runDir.toString(), "--domain", "fields"), console.err());
        assertTrue(console.out().contains("domain fields:") && console.out().contains("grass"), console.out());
        assertTrue(Files.readString(runDir.resolve("eval-fields.json")).contains("\"domain\" : \"fields\"")
                || Files.readString(runDir.resolve("eval-fields.json")).contains("\"domain\":\"fields\""));
        assertEquals(0, console.run("evaluate", "--run", runDir.toString()), console.err());
        assertTrue(console.out().contains("domain shapes:"), console.out());

        assertEquals(Main.EXIT_INPUT, console.run("predict", "--run", runDir.toString(), "--domain", "woods", "--input",
                images.toString(), "--output", dir.resolve("x").toString()));
        console.assertOneLineError("--domain woods", "has no such domain", "shapes, fields");
        assertEquals(Main.EXIT_INPUT, console.run("evaluate", "--run", runDir.toString(), "--domain", "woods"));
        console.assertOneLineError("--domain woods", "shapes, fields");
    }

    @Test
    void aOneDatasetCheckpointRefusesDomain() throws IOException {
        Path runDir = dir.resolve("single");
        List<String> overrides = new ArrayList<>(org.semiseg.train.TrainerTest.TINY);
        overrides.addAll(List.of("train.iterations=1", "train.eval_every=0", "train.checkpoint_every=1"));
        assertEquals(0, console.run(train(runDir, overrides)), console.err());
        assertFalse(Files.readString(runDir.resolve("checkpoints/last/state.json")).contains("domains"),
                "a one-dataset checkpoint's state.json is as before");
        assertFalse(Files.readString(runDir.resolve("config.yaml")).contains("domains"));
        Path images = Files.createDirectories(dir.resolve("photos"));
        Files.copy(DomainFixtures.folder(dir.resolve("f")).resolve("images/val/0.png"), images.resolve("a.png"));
        assertEquals(Main.EXIT_INPUT, console.run("predict", "--run", runDir.toString(), "--domain", "shapes", "--input",
                images.toString(), "--output", dir.resolve("x").toString()));
        console.assertOneLineError("--domain shapes", "trained on one dataset");
        assertFalse(Files.exists(dir.resolve("x/color")));
    }

    private static Set<Integer> colours(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                seen.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return seen;
    }
}
