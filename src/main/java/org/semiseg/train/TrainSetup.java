package org.semiseg.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.DataCheckFailed;
import org.semiseg.data.DataSplits;
import org.semiseg.data.PseudoMasks;
import org.semiseg.data.SourceData;
import org.semiseg.data.SplitFiles;
import org.semiseg.data.sets.CheckReport;
import org.semiseg.data.Datasets;
import org.semiseg.io.CheckpointState;
import org.semiseg.io.Checkpoints;
import org.semiseg.io.FolderLock;
import org.semiseg.loss.ClassBalance;
import org.semiseg.method.Method;
import org.semiseg.method.MethodSetup;
import org.semiseg.method.Module;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import org.semiseg.data.Seeds;
import org.semiseg.method.Methods;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.SegmentationNet;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run needs, built and checked before anything is written: config, data, network, optimizer, method,
 * and, on resume, the state of the last checkpoint. Only {@link #commit()} touches the run folder. The setup holds
 * the run folder's {@link FolderLock} from the start (from {@link #commit()} when the folder does not exist yet) to
 * {@link #close()}, so a second process is refused before it reads or writes anything.
 */
public final class TrainSetup implements AutoCloseable {
    private final Config config;
    private final RunDirectory run;
    private final DataSplits data;
    private final SourceData source;
    private final PseudoMasks pseudoMasks;
    private final NDManager manager;
    private final SegmentationNet net;
    private final Map<String, Parameter> namedParameters;
    private final Sgd optimizer;
    private final Method method;
    private final MethodSetup methodSetup;
    /** Every array of the method's modules, named {@code <module>.<parameter>}. */
    private final Map<String, NDArray> moduleArrays;
    private final NDArray classWeight;
    private final Datasets.ClassSet classes;
    private final boolean resumed;
    private final boolean force;
    private int startIteration;
    private double bestMiou = -1;
    private int bestIteration = -1;
    private FolderLock lock;

    private TrainSetup(Config config, RunDirectory run, boolean resume, boolean force, FolderLock lock) {
        this.config = config;
        this.run = run;
        this.lock = lock;
        this.resumed = resume;
        this.force = force;
        if (!resume && run.holdsRun() && !force) {
            throw new SemisegException("output folder " + run.root() + " already holds a run: continue it with --resume,"
                    + " replace it with --force, or choose another --out");
        }
        if (resume && !Checkpoints.exists(run.last())) {
            throw new SemisegException("cannot resume: " + run.last() + " does not exist");
        }
        this.method = Methods.create(config);
        this.data = Datasets.open(config);
        // every file of the split is checked, unlabeled images too (even for a method that does not read them)
        CheckReport report = Datasets.check(config, data, config.data().workers());
        if (report != null && !report.ok()) {
            throw new DataCheckFailed(data.sources().layout(), report);
        }
        this.source = Datasets.openSource(config);
        if (method.inputs().unlabeled() && data.unlabeled().isEmpty()) {
            throw new SemisegException("method.name=" + config.method().name() + " learns from unlabeled images, but"
                    + " data.labeled=" + config.data().labeled() + " leaves none unlabeled");
        }
        this.pseudoMasks = PseudoMasks.forRun(config.data(), data,
                method.inputs().unlabeled() && method.inputs().weakLabels(), config.method().name());
        this.manager = NDManager.newBaseManager(device(config.device()));
        this.net = Networks.create(config.model(), data.numClasses(), config.seed(), manager);
        this.namedParameters = ParameterNames.of(net);
        long[] labeledCounts = config.train().classBalancing() ? Datasets.classPixelCounts(data) : new long[data.numClasses()];
        // the method's own networks (teacher, heads) start from their own stream of the seed
        Engine.getInstance().setRandomSeed((int) Seeds.mix(config.seed(), 0x3E7D0DL));
        this.classes = Datasets.classes(config.data());
        this.methodSetup = new MethodSetup(config, net, manager, classes.names(),
                data.labeled().size(), labeledCounts);
        method.initialize(methodSetup);
        this.moduleArrays = moduleArrays(methodSetup.modules());
        Map<Boolean, Map<String, Parameter>> groups = Networks.trainableByGroup(net);
        List<Sgd.Group> optimizerGroups = new ArrayList<>(List.of(new Sgd.Group(arrays(groups.get(true)), 1.0),
                new Sgd.Group(arrays(groups.get(false)), config.train().headLrMultiplier())));
        for (Module m : methodSetup.modules()) {
            if (m.trained()) {
                Map<String, Parameter> trainable = new LinkedHashMap<>(m.parameters());
                trainable.values().removeIf(p -> !p.requiresGradient());
                optimizerGroups.add(new Sgd.Group(arrays(trainable), m.lrMultiplier()));
            }
        }
        this.optimizer = new Sgd(optimizerGroups, config.train().momentum(), config.train().weightDecay(), manager);
        this.classWeight = config.train().classBalancing() ? manager.create(ClassBalance.weights(labeledCounts)) : null;
        if (resume) {
            restore();
        }
    }

    /**
     * The images the run reads, for its first console line: "8 labeled, 23 unlabeled, 4 val images"; a method that
     * learns from labeled images only (supervised) is not said to have unlabeled ones; "23 unlabeled (20 with
     * pseudo-masks)" when the unlabeled batches carry the tagged images' pseudo-masks.
     */
    public String imagesRead() {
        String unlabeled = data.unlabeled().size() + " unlabeled" + (pseudoMasks == null ? ""
                : " (" + data.tagged().size() + " with pseudo-masks)") + ", ";
        return data.labeled().size() + " labeled, " + (method.inputs().unlabeled() ? unlabeled : "")
                + data.val().size() + " val images";
    }

    /** The pseudo-masks the unlabeled batches carry, or null. */
    public PseudoMasks pseudoMasks() {
        return pseudoMasks;
    }

    /**
     * Builds and checks a run; nothing on disk changes (but for the empty lock file of an existing folder that lacks
     * one).
     *
     * @throws FolderLock.Busy if another process writes the run folder
     */
    public static TrainSetup prepare(Config config, RunDirectory run, boolean resume, boolean force) {
        FolderLock lock = java.nio.file.Files.isDirectory(run.root()) ? run.lock() : null;
        try {
            return new TrainSetup(config, run, resume, force, lock);
        } catch (RuntimeException | Error e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    /** Makes the run folder ready (the only step that writes): checks it is writable, clears it on --force, writes config.yaml. */
    public void commit() {
        // room for last, best and the temporary copy of a checkpoint being written: weights, momentum, method state
        long parameterBytes = namedParameters.values().stream().mapToLong(p -> p.getArray().size() * 4).sum();
        long methodBytes = 0;
        for (NDArray a : methodState()) {
            methodBytes += a.size() * a.getDataType().getNumOfBytes();
        }
        if (lock == null) {
            lock = run.lock();
        }
        run.checkWritable(3 * (2 * parameterBytes + methodBytes) + (1 << 20));
        if (force && !resumed) {
            run.clear();
        }
        try {
            // a kill during the write leaves the previous config.yaml
            org.semiseg.io.AtomicFiles.writeString(run.config(), ConfigLoader.toYaml(config));
        } catch (IOException e) {
            org.semiseg.io.OutOfSpace.ifFull(e, run.config());
            throw new SemisegException("cannot write " + run.config() + ": " + e.getMessage());
        }
        DataSplits.Sources sources = data.sources();
        if (sources != null) {
            // the images this run learns from, in the format `data split` writes and data.split_dir reads
            SplitFiles.write(run.split(), new SplitFiles.Split(sources.splits().get("labeled"),
                    sources.splits().getOrDefault("unlabeled", List.of())));
            if (sources.valListed()) {
                SplitFiles.writeVal(run.split(), sources.splits().get("val"));
            }
        }
    }

    public static Device device(String name) {
        if (name.equals("gpu")) {
            if (Engine.getInstance().getGpuCount() == 0) {
                throw new SemisegException("--device gpu: the PyTorch engine sees no CUDA GPU (this build loads the CPU"
                        + " library; see the README section 'Running on a GPU')");
            }
            return Device.gpu();
        }
        return Device.cpu();
    }

    private void restore() {
        try (NDManager loading = manager.newSubManager()) {
            Checkpoints.Loaded last = Checkpoints.load(run.last(), loading);
            Checkpoints.applyWeights(namedParameters, last.weights(), last.dir());
            try {
                optimizer.loadState(last.optimizer());
            } catch (IllegalArgumentException e) {
                throw new SemisegException("checkpoint " + last.dir() + ": " + e.getMessage());
            }
            try {
                moduleArrays.forEach((name, a) -> {
                    NDArray saved = last.method().get(name);
                    if (saved == null || !saved.getShape().equals(a.getShape())) {
                        throw new IllegalArgumentException("method state lacks " + name + " of shape " + a.getShape());
                    }
                    a.set(new ai.djl.ndarray.index.NDIndex("..."), saved);
                });
                method.loadState(last.method());
            } catch (IllegalArgumentException e) {
                throw new SemisegException("checkpoint " + last.dir() + ": " + e.getMessage());
            }
            CheckpointState state = last.state();
            if (state.iteration() >= config.train().iterations()) {
                throw new SemisegException("cannot resume: " + last.dir() + " is at iteration " + state.iteration()
                        + ", the end of a run of train.iterations=" + config.train().iterations()
                        + " (raise it with --set train.iterations=N to train longer)");
            }
            startIteration = state.iteration();
            bestMiou = state.bestMiou();
            bestIteration = state.bestIteration();
        }
    }

    void saveCheckpoint(java.nio.file.Path dir, int iteration, double best, int bestAt) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        namedParameters.forEach((name, p) -> weights.put(name, p.getArray()));
        List<List<Integer>> colors = new ArrayList<>();
        for (int c = 0; c < classes.names().size(); c++) {
            int rgb = classes.palette().rgb(c);
            colors.add(List.of((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF));
        }
        CheckpointState state = new CheckpointState(iteration, config.seed(), best, bestAt,
                Networks.describe(net.spec()), Map.of(),
                new CheckpointState.Classes(classes.names(), colors, config.data().ignoreIndex()));
        Checkpoints.save(dir, weights, optimizer.state(), methodState(), state, ConfigLoader.toYaml(config));
    }

    /** The modules' arrays (named {@code <module>.<parameter>}) and the method's own state. */
    private NDList methodState() {
        NDList out = new NDList();
        moduleArrays.forEach((name, a) -> {
            a.setName(name);
            out.add(a);
        });
        out.addAll(method.state());
        return out;
    }

    private static Map<String, NDArray> moduleArrays(List<Module> modules) {
        Map<String, Parameter> all = new LinkedHashMap<>();
        modules.forEach(m -> all.putAll(m.parameters()));
        return arrays(all);
    }

    /** The student's and the modules' parameters by name: the step guard restores those without gradient. */
    Map<String, Parameter> guardedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>(namedParameters);
        methodSetup.modules().forEach(m -> out.putAll(m.parameters()));
        return out;
    }

    /** The method's declarations (modules, EMA copies, the evaluated network). */
    public MethodSetup methodSetup() {
        return methodSetup;
    }

    /** The network validation evaluates: the student unless the method chose another. */
    public SegmentationNet evaluatedNet() {
        return methodSetup.evaluated();
    }

    private static Map<String, NDArray> arrays(Map<String, Parameter> params) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        params.forEach((name, p) -> out.put(name, p.getArray()));
        return out;
    }

    public Config config() {
        return config;
    }

    public RunDirectory run() {
        return run;
    }

    public DataSplits data() {
        return data;
    }

    /** The labeled source domain (domain adaptation), or null. */
    public SourceData source() {
        return source;
    }

    public NDManager manager() {
        return manager;
    }

    public SegmentationNet net() {
        return net;
    }

    public Sgd optimizer() {
        return optimizer;
    }

    public Method method() {
        return method;
    }

    public NDArray classWeight() {
        return classWeight;
    }

    public boolean resumed() {
        return resumed;
    }

    public int startIteration() {
        return startIteration;
    }

    double initialBestMiou() {
        return bestMiou;
    }

    int initialBestIteration() {
        return bestIteration;
    }

    @Override
    public void close() {
        try {
            manager.close();
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }
}
