package org.semiseg.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.data.DataCheckFailed;
import org.semiseg.data.DataSplits;
import org.semiseg.data.Datasets;
import org.semiseg.data.PseudoMasks;
import org.semiseg.data.Seeds;
import org.semiseg.data.SourceData;
import org.semiseg.data.sets.CheckReport;
import org.semiseg.io.CheckpointState;
import org.semiseg.loss.ClassBalance;
import org.semiseg.method.Method;
import org.semiseg.method.MethodSetup;
import org.semiseg.method.Module;
import org.semiseg.method.Methods;
import org.semiseg.model.Models;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.SegmentationNet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One domain of a run: its data, classes, network and method. A run on one dataset has one, unnamed, and every name
 * below is what it always was. A run on several domains ({@code data.domains}, CCT's Section 3.4) has one per entry:
 * the first domain's network builds the encoder, the others share it ({@link Models#sharingEncoder}) and have their own
 * decoder and classifier; each domain has its own method instance with its own modules.
 *
 * <p>Names in checkpoints: the first domain keeps the names of a one-dataset run ({@code backbone.*}, {@code decoder.*},
 * {@code cct_decoders.*}); another domain's decoder and classifier parameters, its modules' arrays and its method's
 * state are saved as {@code domain.<name>.<parameter>}. The shared encoder is saved once, under the first domain's
 * names.
 */
final class TrainDomain {
    /** What a domain's checkpoint names start with: {@code domain.<name>.}. */
    static final String PREFIX = "domain.";

    private final String name;
    private final int index;
    private final Config config;
    private final Method method;
    private final DataSplits data;
    private final SourceData source;
    private final PseudoMasks pseudoMasks;
    private final Datasets.ClassSet classes;
    private SegmentationNet net;
    private Map<String, Parameter> saved;
    private MethodSetup methodSetup;
    /** Every module's parameters, named {@code [domain.<name>.]<module>.<parameter>}. */
    private Map<String, Parameter> moduleParameters;
    private NDArray classWeight;

    /**
     * Opens and checks the domain's data and builds its method (no network yet).
     *
     * @param name   null for a run on one dataset
     * @param config the config the domain sees ({@link Config#forDomain})
     */
    private TrainDomain(String name, int index, Config config) {
        this.name = name;
        this.index = index;
        this.config = config;
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
                    + " " + key("labeled") + "=" + config.data().labeled() + " leaves none unlabeled (every label:"
                    + " --set method.name=supervised)");
        }
        this.pseudoMasks = PseudoMasks.forRun(config.data(), data,
                method.inputs().unlabeled() && method.inputs().weakLabels(), config.method().name());
        this.classes = Datasets.classes(config.data());
        int ignore = config.data().ignoreIndex();
        if (ignore < classes.names().size()) {
            // a class index as the ignore index would drop that class's pixels, and the unlabeled loader's padding
            // mask (0 on image pixels) would read every pixel as padding when it is 0
            throw new SemisegException(key("ignore_index") + "=" + ignore + " is a class index (" + classes.names().get(ignore)
                    + " of " + classes.names().size() + " classes): choose a value of at least " + classes.names().size()
                    + ", e.g. 255");
        }
    }

    /** The domains of {@code config} with their data (opened and checked) and methods; no network yet. */
    static List<TrainDomain> open(Config config) {
        List<TrainDomain> out = new ArrayList<>();
        for (Map.Entry<String, Config> e : config.domainConfigs()) {
            out.add(new TrainDomain(e.getKey(), out.size(), e.getValue()));
        }
        return List.copyOf(out);
    }

    /**
     * Builds the domains' networks (the first builds the encoder, from the seed as a one-dataset run does; the others
     * share it) and then their methods' modules, in that order.
     */
    static void build(List<TrainDomain> out, NDManager manager) {
        for (TrainDomain d : out) {
            d.buildNet(out.get(0), manager);
        }
        for (TrainDomain d : out) {
            List<String> others = new ArrayList<>();
            out.stream().filter(o -> o != d).forEach(o -> others.addAll(o.classes.names()));
            d.initializeMethod(manager, others);
        }
    }

    private void buildNet(TrainDomain first, NDManager manager) {
        if (index == 0) {
            net = Networks.create(config.model(), data.numClasses(), config.seed(), manager);
        } else {
            Engine.getInstance().setRandomSeed((int) Seeds.mix(config.seed(), 0xD0A1L, index));
            net = Models.sharingEncoder(first.net, data.numClasses());
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        }
        Map<String, Parameter> all = ParameterNames.of(net);
        saved = new LinkedHashMap<>();
        Set<Parameter> encoder = net.encoderParameters();
        all.forEach((n, p) -> {
            if (index == 0) {
                saved.put(n, p);
            } else if (!encoder.contains(p)) {
                saved.put(prefix() + n, p);
            }
        });
    }

    private void initializeMethod(NDManager manager, List<String> otherDomainClasses) {
        long[] labeledCounts = config.train().classBalancing() ? Datasets.classPixelCounts(data)
                : new long[data.numClasses()];
        // the method's own networks (teacher, heads) start from their own stream of the seed
        Engine.getInstance().setRandomSeed((int) (index == 0 ? Seeds.mix(config.seed(), 0x3E7D0DL)
                : Seeds.mix(config.seed(), 0x3E7D0DL, index)));
        methodSetup = new MethodSetup(config, net, manager, classes.names(), data.labeled().size(), labeledCounts,
                otherDomainClasses);
        method.initialize(methodSetup);
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (Module m : methodSetup.modules()) {
            m.parameters().forEach((n, p) -> named.put(prefix() + n, p));
        }
        moduleParameters = named;
        classWeight = config.train().classBalancing() ? manager.create(ClassBalance.weights(labeledCounts)) : null;
    }

    /**
     * The optimizer groups of this domain's network: the first domain's backbone (base rate) and everything after it
     * (head rate, pspnet's pyramid pooling included); another domain's decoder and classifier only (the encoder is
     * the first's, listed once). Keyed by checkpoint name.
     */
    List<org.semiseg.train.Sgd.Group> networkGroups() {
        List<Sgd.Group> out = new ArrayList<>();
        Map<Boolean, Map<String, Parameter>> groups = Networks.trainableByGroup(net);
        if (index == 0) {
            out.add(new Sgd.Group(arrays(groups.get(true), ""), 1.0));
        }
        Map<String, Parameter> heads = new LinkedHashMap<>(groups.get(false));
        Set<Parameter> encoder = net.encoderParameters();
        heads.values().removeIf(p -> index > 0 && encoder.contains(p));
        out.add(new Sgd.Group(arrays(heads, prefix()), config.train().headLrMultiplier()));
        return out;
    }

    /** The optimizer groups of the method's trained modules, keyed by checkpoint name. */
    List<Sgd.Group> moduleGroups() {
        List<Sgd.Group> out = new ArrayList<>();
        for (Module m : methodSetup.modules()) {
            if (m.trained()) {
                Map<String, Parameter> trainable = new LinkedHashMap<>(m.parameters());
                trainable.values().removeIf(p -> !p.requiresGradient());
                out.add(new Sgd.Group(arrays(trainable, prefix()), m.lrMultiplier()));
            }
        }
        return out;
    }

    private static Map<String, NDArray> arrays(Map<String, Parameter> params, String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        params.forEach((n, p) -> out.put(prefix + n, p.getArray()));
        return out;
    }

    /** The network's parameters as checkpoints name them (another domain: its own parts only). */
    Map<String, Parameter> savedParameters() {
        return saved;
    }

    /** The saved parameters and every module's parameters: the step guard restores those without gradient. */
    Map<String, Parameter> guardedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>(saved);
        out.putAll(moduleParameters);
        return out;
    }

    /** The modules' arrays, named {@code [domain.<name>.]<module>.<parameter>}. */
    Map<String, NDArray> moduleArrays() {
        return arrays(moduleParameters, "");
    }

    /**
     * The method's own state ({@link Method#state()}) as checkpoints name it: as it is for the first domain; for
     * another, copies in {@code scratch} named {@code domain.<name>.<array>}.
     */
    NDList methodState(NDManager scratch) {
        NDList state = method.state();
        if (index == 0) {
            return state;
        }
        NDList out = new NDList();
        for (NDArray a : state) {
            NDArray copy = a.duplicate();
            copy.attach(scratch);
            copy.setName(prefix() + a.getName());
            out.add(copy);
        }
        return out;
    }

    /** Restores the method's own state from a checkpoint's method arrays (this domain's, prefix removed). */
    void loadMethodState(Map<String, NDArray> saved) {
        if (index == 0) {
            method.loadState(saved);
            return;
        }
        Map<String, NDArray> own = new LinkedHashMap<>();
        saved.forEach((n, a) -> {
            if (n.startsWith(prefix())) {
                own.put(n.substring(prefix().length()), a);
            }
        });
        method.loadState(own);
    }

    /** The classes as a checkpoint's state.json keeps them. */
    CheckpointState.Classes checkpointClasses() {
        List<List<Integer>> colors = new ArrayList<>();
        for (int c = 0; c < classes.names().size(); c++) {
            int rgb = classes.palette().rgb(c);
            colors.add(List.of((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF));
        }
        return new CheckpointState.Classes(classes.names(), colors, config.data().ignoreIndex());
    }

    /** {@code domain.<name>.}, or nothing for the first domain. */
    String prefix() {
        return index == 0 ? "" : PREFIX + name + ".";
    }

    /** The config key of this domain's {@code data.<key>}: {@code data.domains[1].labeled}, or {@code data.labeled}. */
    String key(String key) {
        return name == null ? "data." + key : "data.domains[" + index + "]." + key;
    }

    /** The domain's name; null in a run on one dataset. */
    String name() {
        return name;
    }

    int index() {
        return index;
    }

    /** The config this domain sees. */
    Config config() {
        return config;
    }

    Method method() {
        return method;
    }

    MethodSetup methodSetup() {
        return methodSetup;
    }

    DataSplits data() {
        return data;
    }

    SourceData source() {
        return source;
    }

    PseudoMasks pseudoMasks() {
        return pseudoMasks;
    }

    Datasets.ClassSet classes() {
        return classes;
    }

    SegmentationNet net() {
        return net;
    }

    NDArray classWeight() {
        return classWeight;
    }
}
