package org.semiseg.data;

import org.semiseg.SemisegException;
import org.semiseg.config.DataConfig;
import org.semiseg.config.LabeledShare;
import org.semiseg.data.sets.DatasetLayout;
import org.semiseg.data.sets.FileDataset;
import org.semiseg.data.sets.FilePair;
import org.semiseg.data.sets.Problem;
import org.semiseg.data.sets.TagFile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The tagged role: unlabeled training images that keep their image-level labels (tags) but not their masks, the weak
 * labels of CCT (Ouali et al., CVPR 2020, "Using image-level labels"). A folder dataset's tags come from the file its
 * {@code dataset.yaml} names ({@link org.semiseg.data.sets.TagFile}); the built-in layouts and the demo take each
 * image's tags from its mask (the classes it shows), which is how papers simulate weak labels. {@code data.weak}
 * chooses how many of the unlabeled images that have tags keep them: a share, a count or all, drawn with
 * {@code data.split_seed} (its own stream, so the labeled split does not change).
 */
public final class TaggedImages {
    /** Mixed with the split seed for the draw of the tagged images. */
    static final long WEAK_STREAM = 0x7A66EDL;

    private static final TaggedImages NONE = new TaggedImages(List.of(), List.of(), null, null, "none");

    private final List<Integer> indices;
    private final List<String> ids;
    private final IntFunction<List<Integer>> tags;
    private final IntFunction<int[]> truth;
    private final String origin;

    private TaggedImages(List<Integer> indices, List<String> ids, IntFunction<List<Integer>> tags, IntFunction<int[]> truth,
                         String origin) {
        this.indices = List.copyOf(indices);
        this.ids = List.copyOf(ids);
        this.tags = tags;
        this.truth = truth;
        this.origin = origin;
    }

    /** No tagged images ({@code data.weak} null). */
    public static TaggedImages none() {
        return NONE;
    }

    /**
     * One candidate: an unlabeled image that has tags.
     *
     * @param index its index in the training dataset
     * @param id    its sample id (the image path for datasets on disk), which orders the draw
     */
    public record Candidate(int index, String id) {
    }

    /**
     * Draws the tagged images among {@code candidates} as {@code data.weak} says.
     *
     * @param tags   the class indices of a training index (called when asked, e.g. a mask decoded)
     * @param truth  the true mask of a training index at its loaded size, or null when it has none (called when asked)
     * @param origin where the tags come from, for messages ({@code tags.csv}, {@code masks})
     * @param unlabeled how many unlabeled images there are, for the message when none has tags
     * @throws SemisegException when {@code data.weak} is set but no unlabeled image has tags
     */
    public static TaggedImages draw(DataConfig data, List<Candidate> candidates, IntFunction<List<Integer>> tags,
                                    IntFunction<int[]> truth, String origin, int unlabeled) {
        if (!data.tagged()) {
            return NONE;
        }
        if (candidates.isEmpty()) {
            throw new SemisegException("data.weak=" + data.weak() + ": none of the " + unlabeled + " unlabeled images has"
                    + " tags (" + origin + ")" + (unlabeled == 0 ? "; data.labeled leaves no image unlabeled" : ""));
        }
        List<Candidate> pool = new ArrayList<>(candidates);
        pool.sort(Comparator.comparing(Candidate::id));
        Collections.shuffle(pool, new Random(Seeds.mix(data.splitSeed(), WEAK_STREAM)));
        int n = LabeledShare.parse("data.weak", data.weak()).of(pool.size());
        List<Candidate> chosen = new ArrayList<>(pool.subList(0, n));
        chosen.sort(Comparator.comparingInt(Candidate::index));
        return new TaggedImages(chosen.stream().map(Candidate::index).toList(), chosen.stream().map(Candidate::id).toList(),
                tags, truth, origin);
    }

    /**
     * The tagged role of a dataset on disk: among the unlabeled images (training indices from {@code labeled.size()}
     * on), those the dataset's tag file tags, or, without one, those with a mask.
     *
     * @param unlabeled the unlabeled images with their masks (not yet dropped)
     * @param problems  receives what reading and resolving the tag file found wrong
     */
    static TaggedImages ofFiles(DataConfig data, DatasetLayout layout, List<FilePair> labeled, List<FilePair> unlabeled,
                                List<Problem> problems) {
        if (!data.tagged()) {
            return none();
        }
        int offset = labeled.size();
        List<Candidate> candidates = new ArrayList<>();
        String source = layout.tagSource();
        SegDataset withMasks = ResizedDataset.of(new FileDataset(layout, unlabeled, data.ignoreIndex()), data.resize());
        IntFunction<int[]> truth = index -> withMasks.get(index - offset).mask();
        if (source != null) {
            List<String> images = new ArrayList<>();
            labeled.forEach(p -> images.add(p.image()));
            unlabeled.forEach(p -> images.add(p.image()));
            TagFile.Resolved resolved = TagFile.resolve(TagFile.read(layout.root(), source, layout.classNames()), images,
                    layout.root());
            problems.addAll(resolved.problems());
            if (!resolved.problems().isEmpty() && resolved.tags().isEmpty()) {
                return none();  // the data check names what is wrong with the tags
            }
            for (int i = 0; i < unlabeled.size(); i++) {
                if (resolved.tags().containsKey(unlabeled.get(i).image())) {
                    candidates.add(new Candidate(offset + i, unlabeled.get(i).image()));
                }
            }
            return draw(data, candidates, index -> resolved.tags().get(unlabeled.get(index - offset).image()),
                    truth, source, unlabeled.size());
        }
        for (int i = 0; i < unlabeled.size(); i++) {
            if (unlabeled.get(i).mask() != null) {
                candidates.add(new Candidate(offset + i, unlabeled.get(i).image()));
            }
        }
        int classes = layout.classNames().size();
        return draw(data, candidates, index -> classesIn(layout.decodeMask(
                layout.root().resolve(unlabeled.get(index - offset).mask()), data.ignoreIndex()), classes),
                truth, "masks", unlabeled.size());
    }

    /** The demo's: its scenes all have masks, so each unlabeled scene's tags are the classes its mask shows. */
    static TaggedImages ofDemo(DataConfig data, SegDataset train, SegDataset resized, List<Integer> unlabeled) {
        List<Candidate> candidates = unlabeled.stream().map(i -> new Candidate(i, DemoScenes.id("train", i))).toList();
        return draw(data, candidates, index -> classesIn(train.get(index).mask(), train.classNames().size()),
                index -> resized.get(index).mask(), "masks", unlabeled.size());
    }

    /** The classes present in a mask (class indices in [0, classes); other values are ignored). */
    public static List<Integer> classesIn(int[] mask, int classes) {
        boolean[] seen = new boolean[classes];
        for (int v : mask) {
            if (v >= 0 && v < classes) {
                seen[v] = true;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            if (seen[c]) {
                out.add(c);
            }
        }
        return out;
    }

    /** Indices into the training dataset, ascending. */
    public List<Integer> indices() {
        return indices;
    }

    /** The sample ids of {@link #indices()}, in the same order. */
    public List<String> ids() {
        return ids;
    }

    public int size() {
        return indices.size();
    }

    public boolean isEmpty() {
        return indices.isEmpty();
    }

    /** The tags (class indices, ascending) of the {@code position}-th tagged image. */
    public List<Integer> tags(int position) {
        return tags.apply(indices.get(position));
    }

    /**
     * The true mask of the {@code position}-th tagged image at its loaded size ({@code data.resize}), or null when the
     * dataset has none for it. Training never reads it: it judges pseudo-masks ({@code semiseg weak}).
     */
    public int[] truth(int position) {
        return truth.apply(indices.get(position));
    }

    /** Where the tags come from: the dataset's tag file, or {@code masks}. */
    public String origin() {
        return origin;
    }
}
