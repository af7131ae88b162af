package org.semiseg.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.semiseg.config.Config;
import org.semiseg.data.BatchLoader;
import org.semiseg.data.HostBatch;
import org.semiseg.data.PseudoMasks;
import org.semiseg.data.Sample;
import org.semiseg.data.Seeds;
import org.semiseg.method.Method;
import org.semiseg.method.Step;
import org.semiseg.method.StepResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One domain's loaders and its part of a training step: its labeled batch (and unlabeled and source batches when
 * its method reads them) of each iteration, at its own batch size and crop, and the {@link Step} its method runs on,
 * with its network, class weights and ignore index. A run on one dataset has one, with the seeds it always had;
 * another domain's loaders and step generators draw from the run seed mixed with the domain's index.
 */
final class DomainBatches implements AutoCloseable {
    private final TrainDomain domain;
    private final BatchLoader labeled;
    private final BatchLoader unlabeled;
    private final BatchLoader source;
    private final long stepSeed;
    private HostBatch hostLabeled;
    private HostBatch hostUnlabeled;
    private HostBatch hostSource;

    DomainBatches(TrainDomain domain, int startIteration) {
        this.domain = domain;
        Config config = domain.config();
        int i = domain.index();
        int batch = config.train().batchSize();
        int ignore = config.data().ignoreIndex();
        int workers = config.data().workers();
        int prefetch = config.data().prefetch();
        Method.Inputs inputs = domain.method().inputs();
        BatchLoader.Transform labeledAugment = TrainAugment.labeled(config.augment(),
                inputs.labeledAugment(config.augment()), ignore);
        long seed = config.seed();
        this.stepSeed = i == 0 ? seed : Seeds.mix(seed, 0xD05EEDL, i);
        this.labeled = new BatchLoader(domain.data().train(), domain.data().labeled(), batch,
                i == 0 ? seed : Seeds.mix(seed, 0xD0L, i), true, labeledAugment, null, 0, workers, prefetch,
                startIteration);
        BatchLoader u = null;
        BatchLoader s = null;
        try {
            if (inputs.unlabeled()) {
                u = new BatchLoader(domain.data().train(), domain.data().unlabeled(), batch,
                        i == 0 ? Seeds.mix(seed, 0xA11L) : Seeds.mix(seed, 0xA11L, i), true,
                        TrainAugment.unlabeled(config.augment(), inputs.unlabeledAugment(config.augment()), ignore,
                                inputs.strongViews(), inputs.sharedGeometry(), pseudoMask(domain.pseudoMasks(), ignore)),
                        workers, prefetch, startIteration);
            }
            if (domain.source() != null) {
                s = new BatchLoader(domain.source().dataset(), domain.source().indices(), batch,
                        Seeds.mix(seed, 0x50C4L), true, labeledAugment, null, 0, workers, prefetch, startIteration);
            }
        } catch (RuntimeException | Error e) {
            labeled.close();
            if (u != null) {
                u.close();
            }
            throw e;
        }
        this.unlabeled = u;
        this.source = s;
    }

    /** One loader set per domain, in the domains' order; closing it closes them all. */
    record All(List<DomainBatches> list) implements AutoCloseable {
        static All of(List<TrainDomain> domains, int startIteration) {
            List<DomainBatches> out = new ArrayList<>();
            try {
                for (TrainDomain d : domains) {
                    out.add(new DomainBatches(d, startIteration));
                }
            } catch (RuntimeException | Error e) {
                out.forEach(DomainBatches::close);
                throw e;
            }
            return new All(List.copyOf(out));
        }

        @Override
        public void close() {
            list.forEach(DomainBatches::close);
        }
    }

    /** Takes the host batches of iteration {@code it} (prefetched by the loader threads). */
    void take(int it) {
        hostLabeled = labeled.take(it);
        hostUnlabeled = unlabeled == null ? null : unlabeled.take(it);
        hostSource = source == null ? null : source.take(it);
    }

    /** The step of this domain's method for the batches taken last, on the device in {@code m}. */
    Step step(NDManager m, ParameterStore parameters, int it, int iterations) {
        Config config = domain.config();
        int ignore = config.data().ignoreIndex();
        return new Step(domain.net(), parameters, m, StepBatches.of(m, hostLabeled, hostUnlabeled, hostSource, ignore,
                domain.pseudoMasks() != null), domain.classWeight(), ignore, stepSeed, it, iterations);
    }

    /** Where the last batches hold a non-finite value ({@link StepGuard#inputs}), the domain named when there are several. */
    String inputs() {
        String found = StepGuard.inputs(hostLabeled, hostUnlabeled, hostSource);
        return domain.name() == null ? found : found.replace("; ", "; " + domain.name() + ": ");
    }

    /** Labeled images per step. */
    int batchSize() {
        return domain.config().train().batchSize();
    }

    TrainDomain domain() {
        return domain;
    }

    /**
     * The results of every domain's method as one: a single domain's as it is; with several, each loss term
     * {@code <term>} as {@code <domain>_<term>} (logged {@code loss_<domain>_<term>}), each logged scalar
     * {@code loss_<x>} as {@code loss_<domain>_<x>} and any other {@code <x>} as {@code <domain>_<x>}. The losses
     * are summed into the one loss that is back-propagated.
     */
    static StepResult merge(List<TrainDomain> domains, List<StepResult> results) {
        if (results.size() == 1) {
            return results.get(0);
        }
        Map<String, ai.djl.ndarray.NDArray> losses = new LinkedHashMap<>();
        Map<String, ai.djl.ndarray.NDArray> scalars = new LinkedHashMap<>();
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, ai.djl.ndarray.NDArray> checks = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            String d = domains.get(i).name();
            StepResult r = results.get(i);
            r.losses().forEach((k, v) -> losses.put(d + "_" + k, v));
            r.scalars().forEach((k, v) -> scalars.put(named(d, k), v));
            r.values().forEach((k, v) -> values.put(named(d, k), v));
            r.checks().forEach((k, v) -> checks.put(d + "_" + k, v));
        }
        return new StepResult(losses, scalars, values, checks);
    }

    private static String named(String domain, String key) {
        return key.startsWith("loss_") ? "loss_" + domain + "_" + key.substring(5) : domain + "_" + key;
    }

    /** A sample's pseudo-mask at its loaded size, or null for an untagged one; null without pseudo-masks. */
    private static Function<Sample, int[]> pseudoMask(PseudoMasks masks, int ignore) {
        if (masks == null) {
            return null;
        }
        return s -> masks.ids().contains(s.id()) ? masks.load(s.id(), s.height(), s.width(), ignore) : null;
    }

    @Override
    public void close() {
        try {
            labeled.close();
        } finally {
            try {
                if (unlabeled != null) {
                    unlabeled.close();
                }
            } finally {
                if (source != null) {
                    source.close();
                }
            }
        }
    }
}
