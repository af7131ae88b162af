package org.semiseg.cli;

import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.PseudoMasks;
import org.semiseg.weak.PseudoMaskMaker;
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

/** {@code semiseg weak}: pseudo-masks of the tagged images, to look at before training cct on them. */
@Command(name = "weak", mixinStandardHelpOptions = true,
        description = "Make pseudo-masks from image-level labels (CCT's weak labels): train a classifier on the tagged"
                + " and labeled images (data.weak), threshold its class activation maps (weak.*), refine them with a"
                + " dense CRF, and write them with a preview and their mIoU against the true masks where there are any."
                + " Train cct on them with --set data.pseudo_masks=OUT.")
public final class WeakCommand implements Callable<Integer> {
    /** What the folder holds once written; {@code --force} removes these and nothing else. */
    static final List<String> WRITTEN = List.of(PseudoMasks.INDEX, PseudoMasks.MASKS, "preview.png", PseudoMaskMaker.REPORT);

    @Mixin
    CommonOptions common;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "folder for the pseudo-masks")
    Path out;

    @Option(names = "--force", description = "replace pseudo-masks already in --out")
    boolean force;

    @Override
    public Integer call() {
        Config config = ConfigLoader.load(common.config, common.allOverrides());
        prepare(out, force);
        PseudoMaskMaker.Summary s = PseudoMaskMaker.run(config, out, System.err);
        System.out.println("wrote " + s.images() + " pseudo-masks to " + out + " (" + String.join(", ", WRITTEN) + ")");
        System.out.printf(Locale.ROOT, "they label %.1f %% of the pixels%n", 100 * s.labeledShare());
        if (s.truth() != null) {
            System.out.println("against the true masks, over the pixels they label: " + quality(s.truth())
                    + (s.truthWithoutCrf() == null ? "" : "; without the CRF: " + quality(s.truthWithoutCrf())));
        }
        System.out.println("train cct on them with the same data keys and --set method.name=cct --set data.pseudo_masks=" + out);
        return 0;
    }

    private static String quality(PseudoMaskMaker.Quality q) {
        return String.format(Locale.ROOT, "mIoU %.2f (coverage %.1f %%)", 100 * q.miou(), 100 * q.coverage());
    }

    /** Refuses a folder that already holds pseudo-masks unless {@code force}, which removes them. */
    static void prepare(Path out, boolean force) {
        boolean present = WRITTEN.stream().anyMatch(name -> Files.exists(out.resolve(name)));
        if (present && !force) {
            throw new SemisegException(out + " already holds pseudo-masks: choose another --out or replace them with --force");
        }
        try {
            for (String name : WRITTEN) {
                delete(out.resolve(name));
            }
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new SemisegException("cannot prepare " + out + ": " + e.getMessage());
        }
    }

    private static void delete(Path path) throws IOException {
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } else {
            Files.deleteIfExists(path);
        }
    }
}
