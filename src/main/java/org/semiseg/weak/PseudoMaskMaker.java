package org.semiseg.weak;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.data.DataCheckFailed;
import org.semiseg.data.DataSplits;
import org.semiseg.data.Datasets;
import org.semiseg.data.ImageNormalisation;
import org.semiseg.data.Palette;
import org.semiseg.data.PseudoMasks;
import org.semiseg.data.Sample;
import org.semiseg.data.TaggedImages;
import org.semiseg.data.sets.CheckReport;
import org.semiseg.eval.ConfusionMatrix;
import org.semiseg.io.Checkpoints;
import org.semiseg.io.OutOfSpace;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.SegmentationNet;
import org.semiseg.train.Networks;
import org.semiseg.train.TrainSetup;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code semiseg weak}: the pseudo-masks of a config's tagged images ({@code data.weak}), CCT's weak labels (Ouali et
 * al., CVPR 2020, "Using image-level labels"): 1. a {@link CamClassifier} learns the tags of the pixel-labeled and
 * tagged images ({@link ClassifierTraining}); 2. its class activation maps of each tagged image's own tags, at
 * {@code weak.scales}, normalised per class; 3. the confident positions ({@link CamThresholds}), refined by a
 * {@link DenseCrf} when {@code weak.crf} > 0. Written to the output folder: {@value PseudoMasks#INDEX} and
 * {@code masks/} (what {@code data.pseudo_masks} reads), {@code preview.png} ({@link Preview}) and {@value #REPORT}:
 * the settings, the classifier's loss, the share of pixels the pseudo-masks label and, where the tagged images have
 * true masks (the built-in layouts, the demo), the pseudo-masks' IoU against them, with and without the CRF.
 */
public final class PseudoMaskMaker {
    /** The summary file. */
    public static final String REPORT = "weak.json";
    private static final int PREVIEW_ROWS = 8;

    /**
     * What {@link #run} found.
     *
     * @param truth           against the true masks, or null when there are none
     * @param truthWithoutCrf the same before the CRF, or null without a CRF or true masks
     */
    public record Summary(int images, double labeledShare, Quality truth, Quality truthWithoutCrf, Path out) {
    }

    /**
     * Pseudo-masks against true masks, over the pixels both label.
     *
     * @param coverage the share of the truly labeled pixels that the pseudo-masks label
     */
    public record Quality(ConfusionMatrix confusion, double coverage) {
        public double miou() {
            return confusion.meanIou();
        }
    }

    private PseudoMaskMaker() {
    }

    /**
     * Runs the three steps for {@code config} and writes {@code out} (which must be empty or absent).
     *
     * @throws SemisegException when the config tags no image, names an unknown background class, or its data fails
     *                          the check
     */
    public static Summary run(Config config, Path out, PrintStream err) {
        DataSplits data = Datasets.open(config);
        CheckReport report = Datasets.check(config, data, config.data().workers());
        if (report != null && !report.ok()) {
            throw new DataCheckFailed(data.sources().layout(), report);
        }
        TaggedImages tagged = data.tagged();
        if (tagged.isEmpty()) {
            throw new SemisegException("semiseg weak makes pseudo-masks of tagged images, and data.weak is not set:"
                    + " set it, e.g. --set data.weak=all (the unlabeled images that keep their tags)");
        }
        List<String> names = data.train().classNames();
        int background = backgroundClass(config, names);
        List<Integer> outputs = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            if (c != background) {
                outputs.add(c);  // graph-safe: a list of class indices
            }
        }
        try (NDManager manager = NDManager.newBaseManager(TrainSetup.device(config.device()))) {
            SegmentationNet net = Networks.create(config.model(), names.size(), config.seed(), manager);
            if (config.weak().init() != null) {
                initialise(net, Path.of(config.weak().init()), manager);
            }
            CamClassifier classifier = new CamClassifier(net, outputs, manager);
            err.println("weak: " + tagged.size() + " tagged images (tags from " + tagged.origin() + "), "
                    + data.labeled().size() + " labeled; classifier of " + outputs.size() + " classes, "
                    + config.weak().iterations() + " steps");
            Map<String, float[]> targets = targets(data, outputs);
            List<Integer> images = new ArrayList<>(data.labeled());
            images.addAll(tagged.indices());
            ClassifierTraining.Result trained = ClassifierTraining.train(config, classifier, data.train(), images, targets,
                    manager, err);
            Summary summary = write(config, data, classifier, background, out, manager, err);
            writeReport(config, data, trained, summary, background);
            return summary;
        }
    }

    /** Starts the network from a checkpoint ({@code weak.init}); it must be of the same model. */
    private static void initialise(SegmentationNet net, Path checkpoint, NDManager manager) {
        try (NDManager loading = manager.newSubManager()) {
            Checkpoints.Loaded loaded = Checkpoints.load(checkpoint, loading);
            try {
                Checkpoints.applyWeights(ParameterNames.of(net), loaded.weights(), loaded.dir());
            } catch (SemisegException e) {
                throw new SemisegException("weak.init: " + e.getMessage());
            }
        }
    }

    /** The index of {@code weak.background_class}, or -1 when it is null. */
    static int backgroundClass(Config config, List<String> names) {
        String name = config.weak().backgroundClass();
        if (name == null) {
            return -1;
        }
        int c = names.indexOf(name);
        if (c < 0) {
            throw ConfigException.key("weak.background_class", "names '" + name + "', which is not a class ("
                    + String.join(", ", names) + "); null when the dataset has no background class");
        }
        return c;
    }

    /** Per sample id, its tags over the outputs: the labeled images' from their masks, the tagged images' own. */
    private static Map<String, float[]> targets(DataSplits data, List<Integer> outputs) {
        Map<String, float[]> out = new HashMap<>();
        int classes = data.train().classNames().size();
        for (int index : data.labeled()) {
            Sample s = data.train().get(index);
            out.put(s.id(), multiHot(TaggedImages.classesIn(s.mask(), classes), outputs));
        }
        TaggedImages tagged = data.tagged();
        for (int p = 0; p < tagged.size(); p++) {
            out.put(tagged.ids().get(p), multiHot(tagged.tags(p), outputs));
        }
        return out;
    }

    private static float[] multiHot(List<Integer> tags, List<Integer> outputs) {
        float[] v = new float[outputs.size()];
        for (int c : tags) {
            int k = outputs.indexOf(c);
            if (k >= 0) {
                v[k] = 1f;
            }
        }
        return v;
    }

    /**
     * Steps 2 and 3 for every tagged image: CAMs in batches of up to {@code eval.batch_size} images of one size; the
     * CRF and the PNG on {@code data.workers} threads while the next CAMs are computed.
     */
    private static Summary write(Config config, DataSplits data, CamClassifier classifier, int background, Path out,
                                 NDManager manager, PrintStream err) {
        TaggedImages tagged = data.tagged();
        List<String> names = data.train().classNames();
        createFolder(out.resolve(PseudoMasks.MASKS));
        ParameterStore ps = new ParameterStore(manager, false);
        MaskWriter writer = new MaskWriter(config, out, background, names.size(), PREVIEW_ROWS);
        int every = Math.max(1, tagged.size() / 10);
        int reported = 0;
        try {
            for (int p = 0; p < tagged.size(); ) {
                List<Sample> batch = new ArrayList<>();
                List<List<Integer>> tags = new ArrayList<>();
                while (p + batch.size() < tagged.size() && batch.size() < config.eval().batchSize()) {
                    Sample s = data.train().get(tagged.indices().get(p + batch.size()));
                    if (!batch.isEmpty() && (s.height() != batch.get(0).height() || s.width() != batch.get(0).width())) {
                        break;
                    }
                    List<Integer> own = new ArrayList<>(tagged.tags(p + batch.size()));
                    own.remove(Integer.valueOf(background));
                    batch.add(s);
                    tags.add(own);
                }
                List<List<float[]>> cams;
                try (NDManager scratch = manager.newSubManager()) {
                    cams = classifier.cams(ps, upload(scratch, batch), tags, config.weak().scales());
                }
                for (int i = 0; i < batch.size(); i++, p++) {
                    writer.add(p, batch.get(i), cams.get(i), tags.get(i), tagged.tags(p), tagged.truth(p), names);
                }
                if (p / every > reported || p == tagged.size()) {
                    reported = p / every;
                    err.println("weak: pseudo-masks " + p + "/" + tagged.size());
                }
            }
            writer.finish();
        } finally {
            writer.close();
        }
        try {
            PseudoMasks.writeIndex(out, names, config.data().ignoreIndex(), writer.entries);
        } catch (IOException e) {
            OutOfSpace.ifFull(e, out.resolve(PseudoMasks.INDEX));
            throw new SemisegException("cannot write " + out.resolve(PseudoMasks.INDEX) + ": " + e.getMessage());
        }
        writer.preview.write(out.resolve("preview.png"), data.sources() != null ? data.sources().layout().palette()
                : Palette.forClasses(names.size()));
        boolean withCrf = config.weak().crf() > 0;
        return new Summary(tagged.size(), writer.crf.labeledShare(), writer.crf.quality(),
                withCrf ? writer.plain.quality() : null, out);
    }

    /** A batch of samples of one size as normalised images (N, 3, H, W). */
    private static NDArray upload(NDManager m, List<Sample> batch) {
        Sample first = batch.get(0);
        int size = 3 * first.height() * first.width();
        float[] pixels = new float[batch.size() * size];
        for (int i = 0; i < batch.size(); i++) {
            ImageNormalisation.normalise(batch.get(i).image(), pixels, i * size);
        }
        return m.create(pixels, new Shape(batch.size(), 3, first.height(), first.width()));
    }

    private static void createFolder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SemisegException("cannot create " + dir + ": " + e.getMessage());
        }
    }

    private static void writeReport(Config config, DataSplits data, ClassifierTraining.Result trained, Summary summary,
                                    int background) {
        WeakReport.write(summary.out().resolve(REPORT), config, data, trained, summary, background);
    }
}
