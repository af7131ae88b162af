package org.semiseg.data;

import org.semiseg.SemisegException;
import org.semiseg.config.DataConfig;
import org.semiseg.config.LabeledShare;
import org.semiseg.data.sets.DatasetLayout;
import org.semiseg.data.sets.FilePair;
import org.semiseg.data.sets.Problem;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which images of an on-disk dataset a run learns from and validates on: the labeled / unlabeled split (drawn or
 * read from split files), the validation images carved from the training split ({@code data.val_from_train}), and
 * where the validation images come from.
 */
public final class TrainingSplits {
    private TrainingSplits() {
    }

    /**
     * The labeled / unlabeled split of a config: read from {@code data.split_dir} when set, otherwise drawn from the
     * training split with {@code data.split_seed} (for Pascal VOC by {@code data.voc_protocol}). Images carved as
     * validation images ({@code data.val_from_train}) are neither labeled nor unlabeled.
     *
     * @param problems receives what listing the training split found wrong
     */
    static SplitFiles.Split split(DataConfig data, DatasetLayout layout, List<Problem> problems) {
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
        List<FilePair> train = Datasets.pairs(layout, Datasets.trainSplit(data, layout), "data.train_split", problems);
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
            for (FilePair p : Datasets.pairs(layout, data.unlabeledSplit(), "data.unlabeled_split", problems)) {
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
        return new Validation(Datasets.pairs(layout, Datasets.valSplit(data, layout), "data.val_split", problems), false);
    }

    static Set<String> images(List<FilePair> pairs) {
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
            List<FilePair> fine = Datasets.pairs(layout, "train", "data.voc_protocol", problems).stream()
                    .filter(p -> !val.contains(p.image())).toList();
            return SplitFiles.draw(fine, train, share, data.splitSeed());
        }
        return SplitFiles.draw(train, List.of(), share, data.splitSeed());
    }
}
