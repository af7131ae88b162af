package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.Palette;
import org.semiseg.augment.Resampling;
import org.semiseg.config.Resize;
import org.semiseg.data.Datasets;
import org.semiseg.data.Sample;
import org.semiseg.data.SegDataset;
import org.semiseg.eval.EvalResult;
import org.semiseg.eval.Evaluator;
import org.semiseg.eval.ImageTensors;
import org.semiseg.eval.Inference;
import org.semiseg.eval.InferenceSpec;
import org.semiseg.io.CheckpointSnapshot;
import org.semiseg.io.CheckpointState;
import org.semiseg.io.Checkpoints;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.SegmentationNet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A network restored from a checkpoint, with the config it was trained with, for evaluation and prediction. A run on
 * several domains gives the network of one domain (the first unless named): the shared encoder with that domain's
 * decoder and classifier, its classes and its data keys.
 */
public final class TrainedModel implements AutoCloseable {
    private final Config config;
    private final Datasets.ClassSet classes;
    private final NDManager manager;
    private final SegmentationNet net;
    private final ParameterStore parameters;
    private final Path checkpoint;
    private final String domain;

    private TrainedModel(Path checkpoint, List<String> overrides, String domain) {
        this.checkpoint = checkpoint;
        // config and weights come from one snapshot of the folder, however often a trainer replaces it meanwhile
        try (CheckpointSnapshot snapshot = Checkpoints.open(checkpoint)) {
            Config run = ConfigLoader.loadText(snapshot.configYaml(), snapshot.dir().resolve(Checkpoints.CONFIG),
                    overrides);
            int index = domainIndex(run, domain, checkpoint);
            this.domain = index < 0 ? null : run.data().domains().get(index).name();
            this.config = index < 0 ? run : run.forDomain(run.data().domains().get(index));
            CheckpointState state = snapshot.state();
            CheckpointState.Classes stored = index <= 0 || state.domains() == null || state.domains().size() <= index
                    ? state.classes() : state.domains().get(index).classes();
            this.classes = classes(checkpoint, stored, config);
            this.manager = NDManager.newBaseManager(TrainSetup.device(config.device()));
            try {
                this.net = Networks.create(config.model().withoutPretrained(), classes.names().size(), config.seed(), manager);
                try (NDManager loading = manager.newSubManager()) {
                    Checkpoints.Loaded loaded = snapshot.load(loading);
                    Map<String, Parameter> expected = savedNames(net, index, this.domain);
                    Map<String, NDArray> weights = loaded.weights();
                    if (index >= 0) {
                        // the other domains' heads are not this network's
                        weights = new java.util.LinkedHashMap<>(weights);
                        weights.keySet().retainAll(expected.keySet());
                    }
                    Checkpoints.applyWeights(expected, weights, loaded.dir());
                }
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }
        this.parameters = new ParameterStore(manager, false);
    }

    /**
     * The index of {@code domain} in a run on several domains (null: the first, 0), or -1 for a run on one dataset.
     *
     * @throws SemisegException for a name the run does not have, or any name for a run on one dataset
     */
    private static int domainIndex(Config run, String domain, Path checkpoint) {
        List<String> names = run.data().domains().stream().map(org.semiseg.config.DomainConfig::name).toList();
        if (names.isEmpty()) {
            if (domain != null) {
                throw new SemisegException("--domain " + domain + ": checkpoint " + checkpoint + " was trained on one"
                        + " dataset (its config has no data.domains); leave --domain out");
            }
            return -1;
        }
        if (domain == null) {
            return 0;
        }
        int index = names.indexOf(domain);
        if (index < 0) {
            throw new SemisegException("--domain " + domain + ": checkpoint " + checkpoint + " has no such domain (its"
                    + " domains: " + String.join(", ", names) + ")");
        }
        return index;
    }

    /**
     * The network's parameters by the names the checkpoint keeps them under: its own names for a run on one dataset
     * and for the first domain; for another domain the shared encoder's plain names and {@code domain.<name>.*} for
     * its decoder and classifier.
     */
    private static Map<String, Parameter> savedNames(SegmentationNet net, int index, String domain) {
        Map<String, Parameter> all = ParameterNames.of(net);
        if (index <= 0) {
            return all;
        }
        java.util.Set<Parameter> encoder = net.encoderParameters();
        Map<String, Parameter> out = new java.util.LinkedHashMap<>();
        all.forEach((n, p) -> out.put(encoder.contains(p) ? n : TrainDomain.PREFIX + domain + "." + n, p));
        return out;
    }

    /**
     * The classes the checkpoint stored (the folder alone is enough); a checkpoint written before they were stored
     * takes them from its dataset, which must then be where its config says (or {@code --set data.root=DIR}).
     */
    private static Datasets.ClassSet classes(Path checkpoint, CheckpointState.Classes stored, Config config) {
        if (stored != null) {
            int[][] rgb = new int[stored.colors().size()][];
            for (int c = 0; c < rgb.length; c++) {
                rgb[c] = stored.colors().get(c).stream().mapToInt(Integer::intValue).toArray();
            }
            return new Datasets.ClassSet(stored.names(), Palette.of(rgb));
        }
        try {
            return Datasets.classes(config.data());
        } catch (SemisegException e) {
            throw new SemisegException("checkpoint " + checkpoint + " was written before checkpoints kept their class names,"
                    + " so they come from its dataset, which cannot be opened (" + e.getMessage() + "); give its folder with"
                    + " --set data.root=DIR");
        }
    }

    /** Opens {@code checkpoint} (a checkpoint folder). */
    public static TrainedModel fromCheckpoint(Path checkpoint, List<String> overrides) {
        return fromCheckpoint(checkpoint, overrides, null);
    }

    /**
     * Opens {@code checkpoint} (a checkpoint folder), the network of {@code domain} for a run on several domains
     * (null: the first).
     */
    public static TrainedModel fromCheckpoint(Path checkpoint, List<String> overrides, String domain) {
        if (!Checkpoints.exists(checkpoint)) {
            throw new SemisegException("checkpoint " + checkpoint + " does not exist");
        }
        return new TrainedModel(checkpoint, overrides, domain);
    }

    /** Opens the best checkpoint of run folder {@code run} (its last one when no evaluation has run yet). */
    public static TrainedModel fromRun(Path run, List<String> overrides) {
        return fromRun(run, overrides, null);
    }

    /** As {@link #fromRun(Path, List)}, the network of {@code domain} for a run on several domains (null: the first). */
    public static TrainedModel fromRun(Path run, List<String> overrides, String domain) {
        RunDirectory dir = new RunDirectory(run);
        if (!Files.isDirectory(run)) {
            throw new SemisegException("run directory " + run + " does not exist");
        }
        Path chosen = Checkpoints.exists(dir.best()) ? dir.best() : dir.last();
        if (!Checkpoints.exists(chosen)) {
            throw new SemisegException("run directory " + run + " holds no checkpoint (expected " + dir.last() + ")");
        }
        return new TrainedModel(chosen, overrides, domain);
    }

    /** The config of the model's domain ({@link Config#forDomain}), or the run's for a run on one dataset. */
    public Config config() {
        return config;
    }

    /** The domain whose network this is; null for a run on one dataset. */
    public String domain() {
        return domain;
    }

    public Path checkpoint() {
        return checkpoint;
    }

    public List<String> classNames() {
        return classes.names();
    }

    /** The dataset's class colours (CamVid's own, VOC's, ...). */
    public Palette palette() {
        return classes.palette();
    }

    /**
     * The named split with every mask: {@code train} (every training image), {@code val}, or any split of the
     * dataset's own (e.g. CamVid's {@code test}), resized as the run was.
     */
    public SegDataset split(String name) {
        SegDataset split = Datasets.evaluationSplit(config, name);
        if (!split.classNames().equals(classes.names())) {
            throw new SemisegException("the dataset of split " + name + " (" + config.data().dataset()
                    + (config.data().root() == null ? "" : " at " + config.data().root()) + ") has the classes "
                    + split.classNames() + ", but checkpoint " + checkpoint + " predicts " + classes.names());
        }
        return split;
    }

    public EvalResult evaluate(String splitName) {
        try (NDManager evalManager = manager.newSubManager()) {
            return Evaluator.evaluate(Validation.logits(net, parameters), split(splitName),
                    Validation.spec(config.eval()), evalManager, config.eval().batchSize(), splitName);
        }
    }

    /**
     * Class probabilities (N, C, H, W) of a batch of equal-size images from {@link #split}, as validation computes them
     * (the config's inference mode), in {@code m}.
     */
    public NDArray probabilities(List<Sample> batch, NDManager m) {
        NDArray x = ImageTensors.toBatch(m, batch);
        return Inference.probabilities(Validation.logits(net, parameters), x, Validation.spec(config.eval()));
    }

    /**
     * Class index per pixel (H·W, row-major) for one image, with the config's inference mode (whole image for
     * center_crop). A run trained with {@code data.resize} sees the image scaled the same way; its labels are scaled
     * back (nearest) to the image's own size.
     */
    public int[] predict(Sample image) {
        InferenceSpec spec = Validation.predictionSpec(config.eval());
        Sample input = image;
        Resize resize = config.data().resize();
        if (resize != null) {
            int[] hw = resize.sizeFor(image.height(), image.width());
            input = Resampling.resize(image, hw[0], hw[1]);
        }
        int[] labels;
        try (NDManager step = manager.newSubManager()) {
            NDArray x = ImageTensors.toBatch(step, List.of(input));
            NDArray predicted = Evaluator.predict(Validation.logits(net, parameters), x, spec);
            labels = predicted.toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
        }
        if (input.height() != image.height() || input.width() != image.width()) {
            labels = Resampling.nearest(labels, input.height(), input.width(), image.height(), image.width());
        }
        return labels;
    }

    @Override
    public void close() {
        manager.close();
    }
}
