package org.semiseg.cli;

import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.data.DataCheckFailed;
import org.semiseg.data.Datasets;
import org.semiseg.data.SplitFiles;
import org.semiseg.data.TrainingSplits;
import org.semiseg.data.sets.CheckReport;
import org.semiseg.data.sets.ClassFrequencies;
import org.semiseg.data.sets.DataCheck;
import org.semiseg.data.sets.DatasetLayout;
import org.semiseg.data.sets.FilePair;
import org.semiseg.data.sets.Listing;
import org.semiseg.data.sets.Problem;
import org.semiseg.data.sets.TagFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code semiseg data}: labeled/unlabeled split files, a data check and class frequencies. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Work on a dataset on disk: draw split files, check it, count class pixels.",
        subcommands = {DataCommand.Split.class, DataCommand.Check.class, DataCommand.Stats.class})
public final class DataCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** {@code semiseg data split}: writes labeled.txt and unlabeled.txt. */
    @Command(name = "split", mixinStandardHelpOptions = true,
            description = "Draw the labeled images of the training split and write labeled.txt and unlabeled.txt"
                    + " (one '<image> <mask>' per line, relative to the dataset root).")
    static final class Split implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Option(names = "--labeled", paramLabel = "SHARE", description = "share (1/8), count (46) or all (default: data.labeled of the config, 1/8)")
        String labeled;

        @Option(names = "--seed", paramLabel = "N", split = ",",
                description = "split seed(s); with one seed the files go into --out, with several into --out/seed<N>/ (default: 1,2,3)")
        List<Long> seeds;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "folder for the split files")
        Path out;

        @Option(names = "--force", description = "replace split files that already exist")
        boolean force;

        @Override
        public Integer call() {
            if (labeled != null) {
                data.overrides.add(0, "data.labeled=\"" + labeled + "\"");
            }
            Config config = data.load();
            if (config.data().splitDir() != null) {
                throw new SemisegException("data.split_dir is set: split files are read from " + config.data().splitDir()
                        + ", not drawn (unset it to draw new ones)");
            }
            List<Long> all = seeds == null || seeds.isEmpty() ? List.of(1L, 2L, 3L) : seeds;
            DatasetLayout layout = Datasets.layout(config.data());
            List<Path> targets = new ArrayList<>();
            for (long seed : all) {
                Path dir = all.size() == 1 ? out : out.resolve("seed" + seed);
                for (String name : List.of(SplitFiles.LABELED, SplitFiles.UNLABELED, SplitFiles.VAL)) {
                    if (!force && Files.exists(dir.resolve(name))) {
                        throw new SemisegException(dir.resolve(name) + " already exists: choose another --out or replace it with --force");
                    }
                }
                targets.add(dir);
            }
            for (int i = 0; i < all.size(); i++) {
                var seeded = config.data().withSplitSeed(all.get(i));
                TrainingSplits.TrainingSplit training = TrainingSplits.trainingSplit(seeded, layout, new ArrayList<>());
                SplitFiles.Split split = training.split();
                SplitFiles.write(targets.get(i), split);
                if (training.carvedVal() != null) {
                    SplitFiles.writeVal(targets.get(i), training.carvedVal());
                } else {
                    deleteStale(targets.get(i).resolve(SplitFiles.VAL));  // --force: a val.txt of earlier files would be read
                }
                System.out.println("seed " + all.get(i) + ": wrote " + targets.get(i).resolve(SplitFiles.LABELED) + " ("
                        + split.labeled().size() + " images), " + SplitFiles.UNLABELED + " (" + split.unlabeled().size() + " images)"
                        + (training.carvedVal() == null ? "" : " and " + SplitFiles.VAL + " (" + training.carvedVal().size()
                        + " images carved by data.val_from_train)"));
            }
            return 0;
        }

        private static void deleteStale(Path file) {
            try {
                Files.deleteIfExists(file);
            } catch (java.io.IOException e) {
                throw new SemisegException("cannot remove " + file + ": " + e.getMessage());
            }
        }
    }

    /** {@code semiseg data check}: pairs, sizes, readability and mask values. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check a dataset before training: images per split, unpaired files, image/mask size"
                    + " mismatches, unreadable files, mask values outside the classes, and the tags dataset.yaml names"
                    + " (unknown classes, missing images). Exits 2 when anything is wrong.")
    static final class Check implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Option(names = "--split", paramLabel = "NAME", split = ",", description = "splits to check (default: all of the dataset's)")
        List<String> splits;

        @Option(names = "--split-dir", paramLabel = "DIR", description = "also check the files that labeled.txt / unlabeled.txt (and val.txt) in DIR name")
        Path splitDir;

        @Option(names = "--fast", description = "headers only: skip decoding pixels and checking mask values")
        boolean fast;

        @Override
        public Integer call() {
            Config config = data.load();
            DatasetLayout layout = Datasets.layout(config.data());
            Map<String, List<FilePair>> pairs = new LinkedHashMap<>();
            List<Problem> problems = new ArrayList<>();
            List<String> names = splits == null || splits.isEmpty() ? layout.splitNames() : splits;
            for (String name : names) {
                Listing listing = Datasets.list(layout, name, "--split");
                pairs.put(name, listing.pairs());
                problems.addAll(listing.problems());
            }
            if (splitDir != null) {
                SplitFiles.Split split = Datasets.readSplitFiles(config.data(), layout, splitDir);
                pairs.put(SplitFiles.LABELED, split.labeled());
                pairs.put(SplitFiles.UNLABELED, split.unlabeled());
                java.util.Set<String> taken = new java.util.HashSet<>();
                split.labeled().forEach(p -> taken.add(p.image()));
                split.unlabeled().forEach(p -> taken.add(p.image()));
                List<FilePair> val = SplitFiles.readVal(splitDir, layout, taken);
                if (val != null) {
                    pairs.put(SplitFiles.VAL, val);
                }
            }
            TagFile.Resolved tags = null;
            if (layout.tagSource() != null) {
                // the dataset's image-level labels: every class they name is a class, every image they name exists
                java.util.Set<String> images = new java.util.TreeSet<>();
                pairs.values().forEach(list -> list.forEach(p -> images.add(p.image())));
                tags = TagFile.resolve(TagFile.read(layout.root(), layout.tagSource(), layout.classNames()), images, layout.root());
                problems.addAll(tags.problems());
            }
            CheckReport report = DataCheck.check(layout, pairs, problems, !fast, config.data().ignoreIndex(), data.threads());
            if (!report.ok()) {
                throw new DataCheckFailed(layout, report);
            }
            System.out.println(report.summary());
            if (tags != null) {
                System.out.println("tags (" + layout.tagSource() + "): " + tags.tags().size() + " images of these splits");
            }
            System.out.println("ok: " + layout.name() + " at " + layout.root() + (fast ? " (fast check: headers only)" : ""));
            return 0;
        }
    }

    /** {@code semiseg data stats}: per-class pixel frequencies and the class-balancing weights of Eq. 3. */
    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Per-class pixel counts and frequencies of a split (or of a split's labeled images), with the"
                    + " class-balancing weights sqrt(median frequency / frequency) of Alonso et al. (Eq. 3).")
    static final class Stats implements Callable<Integer> {
        @Mixin
        DataOptions data;

        @Option(names = "--split", paramLabel = "NAME", description = "split to count (default: the training split)")
        String split;

        @Option(names = "--split-dir", paramLabel = "DIR", description = "count the labeled images that DIR/labeled.txt names")
        Path splitDir;

        @Override
        public Integer call() {
            Config config = data.load();
            DatasetLayout layout = Datasets.layout(config.data());
            List<FilePair> pairs;
            String what;
            if (splitDir != null) {
                pairs = Datasets.readSplitFiles(config.data(), layout, splitDir).labeled();
                what = splitDir.resolve(SplitFiles.LABELED).toString();
            } else {
                String name = split != null ? split : Datasets.trainSplit(config.data(), layout);
                pairs = Datasets.list(layout, name, "--split").pairs().stream().filter(p -> p.mask() != null).toList();
                what = "split " + name;
            }
            long[] counts = ClassFrequencies.count(layout, pairs, config.data().ignoreIndex(), data.threads());
            System.out.println(layout.name() + ", " + what + ": " + pairs.size() + " labeled images");
            System.out.println(ClassFrequencies.table(layout.classNames(), counts));
            return 0;
        }
    }
}
