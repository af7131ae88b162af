package org.semiseg.data;

import org.semiseg.SemisegException;
import org.semiseg.config.DataConfig;
import org.semiseg.config.LabeledShare;

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
