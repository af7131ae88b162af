package org.semiseg.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.DataSplits;
import org.semiseg.data.PseudoMasks;
import org.semiseg.data.SourceData;
import org.semiseg.data.SplitFiles;
import org.semiseg.io.CheckpointState;
import org.semiseg.io.Checkpoints;
import org.semiseg.io.FolderLock;
import org.semiseg.method.Method;
import org.semiseg.method.MethodSetup;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import org.semiseg.model.SegmentationNet;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a run needs, built and checked before anything is written: config, data, network, optimizer, method,
 * and, on resume, the state of the last checkpoint; with several domains ({@code data.domains}) the data, network and
 * method of each ({@link TrainDomain}), and one optimizer over all of them. Only {@link #commit()} touches the run
 * folder. The setup holds the run folder's {@link FolderLock} from the start (from {@link #commit()} when the folder
 * does not exist yet) to {@link #close()}, so a second process is refused before it reads or writes anything.
 */
public final class TrainSetup implements AutoCloseable {
    private final Config config;
    private final RunDirectory run;
    /** The run's domains: one, unnamed, for a run on one dataset ({@link TrainDomain}). */
    private final List<TrainDomain> domains;
    private final NDManager manager;
    private final Sgd optimizer;
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
        this.domains = TrainDomain.open(config);
        this.manager = NDManager.newBaseManager(device(config.device()));
        try {
            TrainDomain.build(domains, manager);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
        // each shared array once: the encoder is in the first domain's groups only
        List<Sgd.Group> optimizerGroups = new ArrayList<>();
        domains.forEach(d -> optimizerGroups.addAll(d.networkGroups()));
        domains.forEach(d -> optimizerGroups.addAll(d.moduleGroups()));
        this.optimizer = new Sgd(optimizerGroups, config.train().momentum(), config.train().weightDecay(), manager);
        optimizer.allocateGradients(); // before any step's arrays: less of the C heap stays split (Sgd, issue 24)
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
        List<String> parts = new ArrayList<>();
        for (TrainDomain d : domains) {
            DataSplits data = d.data();
            String unlabeled = data.unlabeled().size() + " unlabeled" + (d.pseudoMasks() == null ? ""
                    : " (" + data.tagged().size() + " with pseudo-masks)") + ", ";
            parts.add((d.name() == null ? "" : d.name() + ": ") + data.labeled().size() + " labeled, "
                    + (d.method().inputs().unlabeled() ? unlabeled : "") + data.val().size() + " val images");
        }
        return String.join("; ", parts);
    }

    /** The pseudo-masks the unlabeled batches carry, or null. */
    public PseudoMasks pseudoMasks() {
        return domains.get(0).pseudoMasks();
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
        long parameterBytes = weights().values().stream().mapToLong(a -> a.size() * 4).sum();
        long methodBytes = 0;
        try (NDManager scratch = manager.newSubManager()) {
            for (NDArray a : methodState(scratch)) {
                methodBytes += a.size() * a.getDataType().getNumOfBytes();
            }
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
        for (TrainDomain d : domains) {
            DataSplits.Sources sources = d.data().sources();
            if (sources != null) {
                // the images this run learns from, in the format `data split` writes and data.split_dir reads
                java.nio.file.Path dir = d.name() == null ? run.split() : run.split().resolve(d.name());
                SplitFiles.write(dir, new SplitFiles.Split(sources.splits().get("labeled"),
                        sources.splits().getOrDefault("unlabeled", List.of())));
                if (sources.valListed()) {
                    SplitFiles.writeVal(dir, sources.splits().get("val"));
                }
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
            Map<String, Parameter> parameters = new LinkedHashMap<>();
            domains.forEach(d -> parameters.putAll(d.savedParameters()));
            Checkpoints.applyWeights(parameters, last.weights(), last.dir());
            try {
                optimizer.loadState(last.optimizer());
            } catch (IllegalArgumentException e) {
                throw new SemisegException("checkpoint " + last.dir() + ": " + e.getMessage());
            }
            try {
                for (TrainDomain d : domains) {
                    d.moduleArrays().forEach((name, a) -> {
                        NDArray saved = last.method().get(name);
                        if (saved == null || !saved.getShape().equals(a.getShape())) {
                            throw new IllegalArgumentException("method state lacks " + name + " of shape " + a.getShape());
                        }
                        a.set(new ai.djl.ndarray.index.NDIndex("..."), saved);
                    });
                    d.loadMethodState(last.method());
                }
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
        List<CheckpointState.Domain> named = null;
        if (domains.size() > 1) {
            named = new ArrayList<>();
            for (TrainDomain d : domains) {
                named.add(new CheckpointState.Domain(d.name(), d.checkpointClasses()));
            }
        }
        TrainDomain first = domains.get(0);
        CheckpointState state = new CheckpointState(iteration, config.seed(), best, bestAt,
                Networks.describe(first.net().spec()), Map.of(), first.checkpointClasses(), named);
        try (NDManager scratch = manager.newSubManager()) {
            Checkpoints.save(dir, weights(), optimizer.state(), methodState(scratch), state, ConfigLoader.toYaml(config));
        }
    }

    /** Every domain's saved parameters by checkpoint name (the shared encoder once). */
    private Map<String, NDArray> weights() {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        domains.forEach(d -> d.savedParameters().forEach((name, p) -> weights.put(name, p.getArray())));
        return weights;
    }

    /** The modules' arrays (named {@code [domain.<name>.]<module>.<parameter>}) and the methods' own state. */
    private NDList methodState(NDManager scratch) {
        NDList out = new NDList();
        for (TrainDomain d : domains) {
            d.moduleArrays().forEach((name, a) -> {
                a.setName(name);
                out.add(a);
            });
        }
        domains.forEach(d -> out.addAll(d.methodState(scratch)));
        return out;
    }

    /** Every domain's saved and module parameters by name: the step guard restores those without gradient. */
    Map<String, Parameter> guardedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        domains.forEach(d -> out.putAll(d.guardedParameters()));
        return out;
    }

    /** The run's domains, in the order of {@code data.domains} (one, unnamed, for a run on one dataset). */
    List<TrainDomain> domains() {
        return domains;
    }

    /** The method's declarations (modules, EMA copies, the evaluated network). */
    public MethodSetup methodSetup() {
        return domains.get(0).methodSetup();
    }

    /** The network validation evaluates: the student unless the method chose another. */
    public SegmentationNet evaluatedNet() {
        return domains.get(0).methodSetup().evaluated();
    }

    public Config config() {
        return config;
    }

    public RunDirectory run() {
        return run;
    }

    /** The data of the (first) domain. */
    public DataSplits data() {
        return domains.get(0).data();
    }

    /** The labeled source domain (domain adaptation), or null. */
    public SourceData source() {
        return domains.get(0).source();
    }

    public NDManager manager() {
        return manager;
    }

    /** The network of the (first) domain. */
    public SegmentationNet net() {
        return domains.get(0).net();
    }

    public Sgd optimizer() {
        return optimizer;
    }

    /** The method of the (first) domain. */
    public Method method() {
        return domains.get(0).method();
    }

    public NDArray classWeight() {
        return domains.get(0).classWeight();
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
