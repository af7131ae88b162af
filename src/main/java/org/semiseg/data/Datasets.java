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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

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
        TrainingSplits.TrainingSplit training = TrainingSplits.trainingSplit(data, layout, problems);
        TrainingSplits.Validation validation = TrainingSplits.validation(data, layout, training, problems);
        SplitFiles.Split split = training.split();
        List<FilePair> labeled = split.labeled();
        List<FilePair> unlabeled = split.unlabeled().stream().map(p -> new FilePair(p.image(), null)).toList();
        List<FilePair> trainPairs = new ArrayList<>(labeled);
        trainPairs.addAll(unlabeled);
        List<Integer> labeledIdx = range(0, labeled.size());
        List<Integer> unlabeledIdx = range(labeled.size(), trainPairs.size());
        SegDataset train = ResizedDataset.of(new FileDataset(layout, trainPairs, data.ignoreIndex()), data.resize());
        SegDataset val = ResizedDataset.of(new FileDataset(layout, validation.pairs(), data.ignoreIndex()), data.resize());
        TaggedImages tagged = TaggedImages.ofFiles(data, layout, labeled, split.unlabeled(), problems);
        Map<String, List<FilePair>> roles = new LinkedHashMap<>();
        roles.put("labeled", labeled);
        if (!unlabeled.isEmpty()) {
            roles.put("unlabeled", unlabeled);  // none when every image keeps its mask (data.labeled: all)
        }
        if (!tagged.isEmpty()) {
            roles.put("tagged", tagged.ids().stream().map(id -> new FilePair(id, null)).toList());
        }
        roles.put("val", validation.pairs());
        return new DataSplits(train, labeledIdx, unlabeledIdx, val,
                new DataSplits.Sources(layout, roles, List.copyOf(problems), validation.listed()), tagged);
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
     * The labeled / unlabeled split of a config ({@link TrainingSplits#split}).
     *
     * @param problems receives what listing the training split found wrong
     */
    public static SplitFiles.Split split(DataConfig data, DatasetLayout layout, List<Problem> problems) {
        return TrainingSplits.split(data, layout, problems);
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

    static List<FilePair> pairs(DatasetLayout layout, String split, String key, List<Problem> problems) {
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
            TrainingSplits.TrainingSplit training = TrainingSplits.trainingSplit(data, layout, new ArrayList<>());
            if (name.equals("val")) {
                pairs = TrainingSplits.validation(data, layout, training, new ArrayList<>()).pairs();
            } else {
                Set<String> carved = TrainingSplits.images(training.carvedVal());
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
        SegDataset resized = ResizedDataset.of(train, data.resize());
        return new DataSplits(resized, List.copyOf(labeled), List.copyOf(unlabeled),
                ResizedDataset.of(val, data.resize()), null, TaggedImages.ofDemo(data, train, resized, unlabeled));
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
