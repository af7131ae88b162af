package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import org.semiseg.eval.InferenceSpec;
import org.semiseg.io.CheckpointSnapshot;
import org.semiseg.io.CheckpointState;
import org.semiseg.io.Checkpoints;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.SegmentationNet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A network restored from a checkpoint, with the config it was trained with, for evaluation and prediction. */
public final class TrainedModel implements AutoCloseable {
    private final Config config;
    private final Datasets.ClassSet classes;
    private final NDManager manager;
    private final SegmentationNet net;
    private final ParameterStore parameters;
    private final Path checkpoint;

    private TrainedModel(Path checkpoint, List<String> overrides) {
        this.checkpoint = checkpoint;
        // config and weights come from one snapshot of the folder, however often a trainer replaces it meanwhile
        try (CheckpointSnapshot snapshot = Checkpoints.open(checkpoint)) {
            this.config = ConfigLoader.loadText(snapshot.configYaml(), snapshot.dir().resolve(Checkpoints.CONFIG),
                    overrides);
            this.classes = classes(checkpoint, snapshot.state(), config);
            this.manager = NDManager.newBaseManager(TrainSetup.device(config.device()));
            try {
                this.net = Networks.create(config.model().withoutPretrained(), classes.names().size(), config.seed(), manager);
                try (NDManager loading = manager.newSubManager()) {
                    Checkpoints.Loaded loaded = snapshot.load(loading);
                    Checkpoints.applyWeights(ParameterNames.of(net), loaded.weights(), loaded.dir());
                }
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }
        this.parameters = new ParameterStore(manager, false);
    }

    /**
     * The classes the checkpoint stored (the folder alone is enough); a checkpoint written before they were stored
     * takes them from its dataset, which must then be where its config says (or {@code --set data.root=DIR}).
     */
    private static Datasets.ClassSet classes(Path checkpoint, CheckpointState state, Config config) {
        CheckpointState.Classes stored = state.classes();
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
        if (!Checkpoints.exists(checkpoint)) {
            throw new SemisegException("checkpoint " + checkpoint + " does not exist");
        }
        return new TrainedModel(checkpoint, overrides);
    }

    /** Opens the best checkpoint of run folder {@code run} (its last one when no evaluation has run yet). */
    public static TrainedModel fromRun(Path run, List<String> overrides) {
        RunDirectory dir = new RunDirectory(run);
        if (!Files.isDirectory(run)) {
            throw new SemisegException("run directory " + run + " does not exist");
        }
        Path chosen = Checkpoints.exists(dir.best()) ? dir.best() : dir.last();
        if (!Checkpoints.exists(chosen)) {
            throw new SemisegException("run directory " + run + " holds no checkpoint (expected " + dir.last() + ")");
        }
        return new TrainedModel(chosen, overrides);
    }

    public Config config() {
        return config;
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
