package org.semiseg.method;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import org.semiseg.config.Config;
import org.semiseg.model.SegmentationNet;

import java.util.ArrayList;
import java.util.List;

/**
 * What a method may use to build its own parts, and where it declares them ({@link #trained}, {@link #emaCopy},
 * {@link #evaluate}). From these declarations the trainer builds the optimizer groups, saves and restores every array
 * in checkpoints, restores BN statistics on a skipped step and moves the EMA copies after each update.
 */
public final class MethodSetup {
    /** An EMA decay schedule: τ at {@code iteration} of a run of {@code iterations}. */
    @FunctionalInterface
    public interface Decay {
        double at(int iteration, int iterations);
    }

    private final Config config;
    private final SegmentationNet student;
    private final NDManager manager;
    private final List<String> classNames;
    private final int labeledImages;
    private final long[] labeledPixelCounts;
    private final List<Module> modules = new ArrayList<>();
    private final List<String> otherDomainClasses;
    private SegmentationNet evaluated;

    /**
     * @param manager            long-lived manager for the method's networks and state
     * @param labeledImages      labeled training images of the target domain
     * @param labeledPixelCounts pixels per class over the labeled masks (class balancing)
     */
    public MethodSetup(Config config, SegmentationNet student, NDManager manager, List<String> classNames,
                       int labeledImages, long[] labeledPixelCounts) {
        this(config, student, manager, classNames, labeledImages, labeledPixelCounts, List.of());
    }

    /**
     * @param otherDomainClasses with several domains ({@code data.domains}): the classes of the other domains, which a
     *                           setting naming classes may name without being wrong; empty otherwise
     */
    public MethodSetup(Config config, SegmentationNet student, NDManager manager, List<String> classNames,
                       int labeledImages, long[] labeledPixelCounts, List<String> otherDomainClasses) {
        this.otherDomainClasses = List.copyOf(otherDomainClasses);
        this.config = config;
        this.student = student;
        this.manager = manager;
        this.classNames = List.copyOf(classNames);
        this.labeledImages = labeledImages;
        this.labeledPixelCounts = labeledPixelCounts.clone();
        this.evaluated = student;
    }

    /** Declares a trained module: the optimizer updates it at {@code lrMultiplier} times the base learning rate. */
    public <B extends Block> B trained(String name, B block, double lrMultiplier) {
        checkName(name);
        modules.add(new Module(name, block, lrMultiplier, null, null));
        return block;
    }

    /**
     * Declares {@code copy} (an initialised block of {@code source}'s structure) as an EMA copy of {@code source}: it
     * is frozen, set to {@code source}'s weights now and moved after every update with τ = {@code decay}.
     */
    public <B extends Block> B emaCopy(String name, B copy, Block source, Decay decay) {
        checkName(name);
        modules.add(new Module(name, copy, 0, new EmaTeacher(source, copy, name + "."), decay));
        return copy;
    }

    /** Evaluates {@code net} (the student by default; a method may choose its teacher). */
    public void evaluate(SegmentationNet net) {
        this.evaluated = net;
    }

    private void checkName(String name) {
        if (name == null || name.isBlank() || name.contains(".")) {
            throw new IllegalArgumentException("a module name must be non-empty and without dots, got " + name);
        }
        for (String own : student.getChildren().keys()) {
            if (own.endsWith(name)) {
                throw new IllegalArgumentException("module name " + name + " is taken by the student");
            }
        }
        for (Module m : modules) {
            if (m.name().equals(name)) {
                throw new IllegalArgumentException("module " + name + " is declared twice");
            }
        }
    }

    public List<Module> modules() {
        return List.copyOf(modules);
    }

    /** Moves every EMA copy for the update just made at {@code iteration}. */
    public void moveEmaCopies(int iteration, int iterations) {
        for (Module m : modules) {
            if (!m.trained()) {
                m.ema().update(m.decay().at(iteration, iterations));
            }
        }
    }

    public SegmentationNet evaluated() {
        return evaluated;
    }

    public Config config() {
        return config;
    }

    public SegmentationNet student() {
        return student;
    }

    public NDManager manager() {
        return manager;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** The other domains' classes in a run on several domains; empty otherwise. */
    public List<String> otherDomainClasses() {
        return otherDomainClasses;
    }

    public int numClasses() {
        return classNames.size();
    }

    public int labeledImages() {
        return labeledImages;
    }

    public long[] labeledPixelCounts() {
        return labeledPixelCounts.clone();
    }
}
