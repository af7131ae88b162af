package org.semiseg.data;

import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.DataConfig;
import org.semiseg.config.LabeledShare;
import org.semiseg.config.SourceConfig;
import org.semiseg.data.sets.CheckReport;
import org.semiseg.data.sets.DataCheck;
import org.semiseg.data.sets.DatasetLayout;
import org.semiseg.data.sets.DatasetLayouts;
import org.semiseg.data.sets.FileDataset;
import org.semiseg.data.sets.FilePair;
import org.semiseg.data.sets.Listing;
import org.semiseg.data.sets.Problem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/** Opens the datasets a config names and draws (or reads) its labeled / unlabeled split. */
public final class Datasets {
    /**
     * {@code data.source.dataset: demo} renders its scenes with the generator seed {@code data.demo.seed} plus this,
     * so that its images are not the target demo's.
     */
    public static final long SOURCE_DEMO_SEED_OFFSET = 1000;

    private Datasets() {
    }

    public static DataSplits open(Config config) {
        DataConfig data = config.data();
        if (data.dataset().equals("demo")) {
            return openDemo(data);
        }
        DatasetLayout layout = layout(data);
        List<Problem> problems = new ArrayList<>();
        TrainingSplit training = trainingSplit(data, layout, problems);
        Validation validation = validation(data, layout, training, problems);
        SplitFiles.Split split = training.split();
        List<FilePair> labeled = split.labeled();
        List<FilePair> unlabeled = split.unlabeled().stream().map(p -> new FilePair(p.image(), null)).toList();
        List<FilePair> trainPairs = new ArrayList<>(labeled);
        trainPairs.addAll(unlabeled);
        List<Integer> labeledIdx = range(0, labeled.size());
        List<Integer> unlabeledIdx = range(labeled.size(), trainPairs.size());
        SegDataset train = ResizedDataset.of(new FileDataset(layout, trainPairs, data.ignoreIndex()), data.resize());
        SegDataset val = ResizedDataset.of(new FileDataset(layout, validation.pairs(), data.ignoreIndex()), data.resize());
        Map<String, List<FilePair>> roles = new LinkedHashMap<>();
        roles.put("labeled", labeled);
        if (!unlabeled.isEmpty()) {
            roles.put("unlabeled", unlabeled);  // none when every image keeps its mask (data.labeled: all)
        }
        roles.put("val", validation.pairs());
        return new DataSplits(train, labeledIdx, unlabeledIdx, val,
                new DataSplits.Sources(layout, roles, List.copyOf(problems), validation.listed()));
    }

    /**
     * The labeled source dataset of semi-supervised domain adaptation ({@code data.source}): every image of its split
     * with its mask, checked as {@code data.check} says (the same check {@code train} runs on the target).
     *
     * <p>{@code demo} is the demo generator with the seed {@code data.demo.seed + }{@value #SOURCE_DEMO_SEED_OFFSET}
     * (same image size and classes as the target demo, other scenes); its splits are {@code train}
     * ({@code data.demo.train_images} images, the default) and {@code val} ({@code data.demo.val_images}).
     *
     * @return null when {@code data.source.dataset} is null
     * @throws SemisegException when its class count differs from the target's, its split is unknown or empty, or an
     *                          image has no mask
     * @throws DataCheckFailed  when the data check finds problems in its files
     */
    public static SourceData openSource(Config config) {
        DataConfig data = config.data();
        SourceConfig source = data.source();
        if (source == null || !source.enabled()) {
            return null;
        }
        int targetClasses = classes(data).names().size();
        if (source.dataset().equals("demo")) {
            requireClasses(source, "demo", DemoScenes.CLASS_NAMES.size(), data, targetClasses);
            return openDemoSource(data, source);
        }
        DatasetLayout layout;
        try {
            layout = DatasetLayouts.open(source.dataset(), Path.of(source.root()),
                    source.spec() == null ? null : Path.of(source.spec()));
        } catch (SemisegException e) {
            throw new SemisegException("data.source: " + e.getMessage());
        }
        requireClasses(source, layout.name(), layout.classNames().size(), data, targetClasses);
        String split = source.split() != null ? source.split() : layout.trainSplit();
        Listing listing = list(layout, split, "data.source.split");
        List<FilePair> pairs = listing.pairs();
        for (FilePair pair : pairs) {
            if (!pair.labeled()) {
                throw new SemisegException("data.source.split: image " + pair.image() + " of split '" + split + "' of "
                        + layout.name() + " at " + layout.root() + " has no mask; the source dataset must be fully labeled");
            }
        }
        String role = "source " + split;
        if (!data.check().equals("off")) {
            CheckReport report = DataCheck.check(layout, Map.of(role, pairs), listing.problems(),
                    data.check().equals("full"), data.ignoreIndex(), data.workers());
            if (!report.ok()) {
                throw new DataCheckFailed(layout, report);
            }
        } else if (!listing.problems().isEmpty()) {
            Problem first = listing.problems().get(0);
            int n = listing.problems().size();
            throw new SemisegException("data.source.split: split '" + split + "' of " + layout.name() + " at " + layout.root()
                    + " has " + n + " unpaired file" + (n == 1 ? "" : "s") + "; first: " + first);
        }
        if (pairs.isEmpty()) {
            throw new SemisegException("data.source.split: split '" + split + "' of " + layout.name() + " at "
                    + layout.root() + " has no images");
        }
        SegDataset dataset = ResizedDataset.of(new FileDataset(layout, pairs, data.ignoreIndex()), source.resize());
        return new SourceData(dataset, range(0, pairs.size()), layout.name() + " at " + layout.root() + ", split " + split
                + ": " + pairs.size() + (pairs.size() == 1 ? " image" : " images"));
    }

    private static void requireClasses(SourceConfig source, String name, int sourceClasses, DataConfig data, int targetClasses) {
        if (sourceClasses != targetClasses) {
            throw new SemisegException("data.source.dataset: " + name + " has " + sourceClasses + " classes but the target"
                    + " dataset " + data.dataset() + " has " + targetClasses + "; the source must share the target's classes");
        }
    }

    private static SourceData openDemoSource(DataConfig data, SourceConfig source) {
        DataConfig.DemoConfig demo = data.demo();
        long seed = demo.seed() + SOURCE_DEMO_SEED_OFFSET;
        String split = source.split() != null ? source.split() : "train";
        int count = switch (split) {
            case "train" -> demo.trainImages();
            case "val" -> demo.valImages();
            default -> throw new SemisegException("data.source.split: the demo dataset has the splits train, val (got '"
                    + split + "')");
        };
        SegDataset scenes = DemoScenes.split(seed, split, count, demo.size());
        return new SourceData(ResizedDataset.of(scenes, source.resize()), range(0, count),
                "demo scenes of seed " + seed + ", split " + split + ": " + count + " images");
    }

    /** Class names and colours of a config's dataset (for a file dataset its reader needs the root folder). */
    public static ClassSet classes(DataConfig data) {
        if (data.dataset().equals("demo")) {
            return new ClassSet(DemoScenes.CLASS_NAMES, Palette.forClasses(DemoScenes.CLASS_NAMES.size()));
        }
        DatasetLayout layout = layout(data);
        return new ClassSet(layout.classNames(), layout.palette());
    }

    /** Class names in index order and their colours. */
    public record ClassSet(List<String> names, Palette palette) {
    }

    /** The reader of a config's on-disk dataset. */
    public static DatasetLayout layout(DataConfig data) {
        Path spec = data.spec() == null ? null : Path.of(data.spec());
        return DatasetLayouts.open(data.dataset(), Path.of(data.root()), spec);
    }

    public static String trainSplit(DataConfig data, DatasetLayout layout) {
        return data.trainSplit() != null ? data.trainSplit() : layout.trainSplit();
    }

    public static String valSplit(DataConfig data, DatasetLayout layout) {
        return data.valSplit() != null ? data.valSplit() : layout.valSplit();
    }

    /**
     * The labeled / unlabeled split of a config: read from {@code data.split_dir} when set, otherwise drawn from the
     * training split with {@code data.split_seed} (for Pascal VOC by {@code data.voc_protocol}). Images carved as
     * validation images ({@code data.val_from_train}) are neither labeled nor unlabeled.
     *
     * @param problems receives what listing the training split found wrong
     */
    public static SplitFiles.Split split(DataConfig data, DatasetLayout layout, List<Problem> problems) {
        return trainingSplit(data, layout, problems).split();
    }

    /**
     * A config's labeled / unlabeled split and the validation images carved from the training split before it.
     *
     * @param carvedVal the images {@code data.val_from_train} carves, sorted; null when it is off
     */
    public record TrainingSplit(SplitFiles.Split split, List<FilePair> carvedVal) {
    }

    /** As {@link #split}, with the carved validation images. */
    public static TrainingSplit trainingSplit(DataConfig data, DatasetLayout layout, List<Problem> problems) {
        List<FilePair> train = pairs(layout, trainSplit(data, layout), "data.train_split", problems);
        List<FilePair> carved = null;
        Set<String> kept = Set.of();
        if (data.valFromTrain().enabled()) {
            carved = SplitFiles.carve(train, data.valFromTrain().parsedShare(), data.valFromTrain().seed());
            kept = images(carved);
            Set<String> out = kept;
            train = train.stream().filter(p -> !out.contains(p.image())).toList();
        }
        SplitFiles.Split split = labeledSplit(data, layout, train, kept, problems);
        if (data.unlabeledSplit() != null) {
            Set<String> labeled = new HashSet<>(kept);
            split.labeled().forEach(p -> labeled.add(p.image()));
            Map<String, FilePair> unlabeled = new TreeMap<>();
            split.unlabeled().forEach(p -> unlabeled.put(p.image(), p));
            for (FilePair p : pairs(layout, data.unlabeledSplit(), "data.unlabeled_split", problems)) {
                if (!labeled.contains(p.image())) {
                    unlabeled.putIfAbsent(p.image(), p);
                }
            }
            split = new SplitFiles.Split(split.labeled(), List.copyOf(unlabeled.values()));
        }
        return new TrainingSplit(split, carved);
    }

    /**
     * The images that validate a run.
     *
     * @param listed whether they are a list rather than a split of the dataset (carved by {@code data.val_from_train}
     *               or read from {@code data.split_dir}'s {@code val.txt}): a run then writes them to {@code split/val.txt}
     */
    public record Validation(List<FilePair> pairs, boolean listed) {
    }

    /**
     * The validation images of a config: those {@code data.val_from_train} carved, else {@code val.txt} of
     * {@code data.split_dir} when it has one and {@code data.val_split} is not set, else the validation split.
     *
     * @throws SemisegException when carved images and a {@code val.txt} beside the split files disagree
     */
    public static Validation validation(DataConfig data, DatasetLayout layout, TrainingSplit training, List<Problem> problems) {
        List<FilePair> fromFile = null;
        if (data.splitDir() != null && data.valSplit() == null) {
            Set<String> taken = images(training.split().labeled());
            taken.addAll(images(training.split().unlabeled()));
            fromFile = SplitFiles.readVal(Path.of(data.splitDir()), layout, taken);
        }
        if (training.carvedVal() != null) {
            if (fromFile != null && !images(fromFile).equals(images(training.carvedVal()))) {
                throw new SemisegException("data.split_dir: " + Path.of(data.splitDir()).resolve(SplitFiles.VAL) + " lists other"
                        + " validation images than data.val_from_train carves (share " + data.valFromTrain().share() + ", seed "
                        + data.valFromTrain().seed() + "); unset one of them");
            }
            return new Validation(training.carvedVal(), true);
        }
        if (fromFile != null) {
            return new Validation(fromFile, true);
        }
        return new Validation(pairs(layout, valSplit(data, layout), "data.val_split", problems), false);
    }

    private static Set<String> images(List<FilePair> pairs) {
        Set<String> out = new HashSet<>();
        pairs.forEach(p -> out.add(p.image()));
        return out;
    }

    private static SplitFiles.Split labeledSplit(DataConfig data, DatasetLayout layout, List<FilePair> train, Set<String> val,
                                                 List<Problem> problems) {
        if (data.splitDir() != null) {
            SplitFiles.Split split = SplitFiles.read(Path.of(data.splitDir()), layout, train);
            for (List<FilePair> side : List.of(split.labeled(), split.unlabeled())) {
                for (FilePair p : side) {
                    if (val.contains(p.image())) {
                        throw new SemisegException("data.split_dir: " + data.splitDir() + " names " + p.image() + ", one of the"
                                + " validation images data.val_from_train carves from the training split (validation images"
                                + " must be kept out of training)");
                    }
                }
            }
            return split;
        }
        LabeledShare share = LabeledShare.parse("data.labeled", data.labeled());
        boolean classicVoc = layout.name().equals("voc") && data.trainSplit() == null
                && data.vocProtocol().equals("classic");
        if (classicVoc) {
            // labeled images from the 1,464 finely annotated ones; the rest of the 10,582 (train_aug) unlabeled
            List<FilePair> fine = pairs(layout, "train", "data.voc_protocol", problems).stream()
                    .filter(p -> !val.contains(p.image())).toList();
            return SplitFiles.draw(fine, train, share, data.splitSeed());
        }
        return SplitFiles.draw(train, List.of(), share, data.splitSeed());
    }

    /** The split files of {@code dir}, read against the config's training split. */
    public static SplitFiles.Split readSplitFiles(DataConfig data, DatasetLayout layout, Path dir) {
        return SplitFiles.read(dir, layout, list(layout, trainSplit(data, layout), "data.train_split").pairs());
    }

    /**
     * Lists a split of the dataset, refusing a name it does not have with a message that starts with {@code key}
     * (the config key or option that named it).
     */
    public static Listing list(DatasetLayout layout, String split, String key) {
        if (!layout.splitNames().contains(split)) {
            throw new SemisegException(key + ": dataset " + layout.name() + " has no split '" + split + "' (its splits: "
                    + String.join(", ", layout.splitNames()) + ")");
        }
        return layout.list(split);
    }

    private static List<FilePair> pairs(DatasetLayout layout, String split, String key, List<Problem> problems) {
        Listing listing = list(layout, split, key);
        problems.addAll(listing.problems());
        return listing.pairs();
    }

    /**
     * Any split of the config's dataset, every image with its mask, as the run sees it (resized like the run): for
     * evaluating on {@code train}, {@code val}, or a dataset's {@code test} split.
     */
    public static SegDataset evaluationSplit(Config config, String name) {
        DataConfig data = config.data();
        if (data.dataset().equals("demo")) {
            DataConfig.DemoConfig demo = data.demo();
            return switch (name) {
                case "train" -> DemoScenes.split(demo.seed(), "train", demo.trainImages(), demo.size());
                case "val" -> DemoScenes.split(demo.seed(), "val", demo.valImages(), demo.size());
                default -> throw new SemisegException("--split " + name + ": the demo dataset has the splits train, val");
            };
        }
        DatasetLayout layout = layout(data);
        List<FilePair> pairs;
        if (name.equals("val") || name.equals("train") && data.valFromTrain().enabled()) {
            // the images the run validated on (or trained from): carved or listed ones are no split of the dataset
            TrainingSplit training = trainingSplit(data, layout, new ArrayList<>());
            if (name.equals("val")) {
                pairs = validation(data, layout, training, new ArrayList<>()).pairs();
            } else {
                Set<String> carved = images(training.carvedVal());
                pairs = list(layout, trainSplit(data, layout), "--split train").pairs().stream()
                        .filter(p -> !carved.contains(p.image())).toList();
            }
        } else {
            pairs = list(layout, name.equals("train") ? trainSplit(data, layout) : name, "--split " + name).pairs();
        }
        return ResizedDataset.of(new FileDataset(layout, pairs, data.ignoreIndex()), data.resize());
    }

    /**
     * The check before training ({@code data.check}): null when it is off or the data is generated.
     *
     * @param threads threads that read file headers (or decode, for the full check)
     */
    public static CheckReport check(Config config, DataSplits splits, int threads) {
        String mode = config.data().check();
        if (splits.sources() == null || mode.equals("off")) {
            return null;
        }
        DataSplits.Sources files = splits.sources();
        return DataCheck.check(files.layout(), files.splits(), files.problems(), mode.equals("full"),
                config.data().ignoreIndex(), threads);
    }

    private static DataSplits openDemo(DataConfig data) {
        DataConfig.DemoConfig demo = data.demo();
        SegDataset train = DemoScenes.split(demo.seed(), "train", demo.trainImages(), demo.size());
        SegDataset val = DemoScenes.split(demo.seed(), "val", demo.valImages(), demo.size());
        int labeledCount = LabeledShare.parse("data.labeled", data.labeled()).of(train.size());
        List<Integer> order = range(0, train.size());
        Collections.shuffle(order, new Random(Seeds.mix(data.splitSeed(), SplitFiles.SPLIT_STREAM)));
        List<Integer> labeled = new ArrayList<>(order.subList(0, labeledCount));
        List<Integer> unlabeled = new ArrayList<>(order.subList(labeledCount, order.size()));
        Collections.sort(labeled);
        Collections.sort(unlabeled);
        return new DataSplits(ResizedDataset.of(train, data.resize()), List.copyOf(labeled), List.copyOf(unlabeled),
                ResizedDataset.of(val, data.resize()), null);
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    /** Pixel count per class over the labeled images (for the class-balancing weights). */
    public static long[] classPixelCounts(DataSplits splits) {
        long[] counts = new long[splits.numClasses()];
        for (int index : splits.labeled()) {
            for (int v : splits.train().get(index).mask()) {
                if (v >= 0 && v < counts.length) {
                    counts[v]++;
                }
            }
        }
        return counts;
    }
}
