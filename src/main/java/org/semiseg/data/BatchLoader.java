package org.semiseg.data;

import org.semiseg.SemisegException;
import org.semiseg.augment.ViewGeometry;

import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * Serves the batch of each training iteration, decoded and augmented on worker threads with a bounded prefetch
 * queue. What batch {@code i} holds depends only on (seed, i): the sample order is a fresh seeded permutation per
 * epoch and each sample's augmentation generator is seeded from (seed, iteration, slot), so a resumed run sees
 * exactly the batches an uninterrupted one would.
 *
 * <p>A labeled loader makes one view per sample; an unlabeled one makes a weak view and strong views as
 * {@link UnlabeledViews} describes, and reports each view's {@link ViewGeometry} in the {@link HostBatch}.
 */
public final class BatchLoader implements AutoCloseable {
    /** Augments one sample with its own generator; returns the sample to use. */
    public interface Transform extends BiFunction<Sample, SplittableRandom, Sample> {
    }

    /** A view of a sample and how it was cut from the sample ({@code geometry} null when unknown). */
    public record View(Sample sample, ViewGeometry geometry) {
    }

    /** A geometric augmentation that reports its geometry, with the sample's own generator. */
    public interface ViewTransform extends BiFunction<Sample, SplittableRandom, View> {
    }

    private final SegDataset dataset;
    private final List<Integer> indices;
    private final int batchSize;
    private final long seed;
    private final boolean withMasks;
    private final ViewTransform transform;
    private final UnlabeledViews unlabeled;
    private final int prefetch;
    private final ExecutorService workers;
    private final ArrayDeque<Future<HostBatch>> queue = new ArrayDeque<>();
    private int nextToSubmit;
    private int nextToTake;

    /**
     * A loader whose strong views (if any) are photometric changes of the first view, with no geometry reported.
     *
     * @param transform  augmentation of each sample (image and mask together)
     * @param strongView if not null, further views of each transformed sample (photometric changes only, so they stay
     *                   aligned with the first): the batch then carries {@link HostBatch#strongViews()}
     * @param views      how many strong views (at least 1 when {@code strongView} is given)
     */
    public BatchLoader(SegDataset dataset, List<Integer> indices, int batchSize, long seed, boolean withMasks,
                       Transform transform, Transform strongView, int views, int workers, int prefetch, int firstIteration) {
        this(dataset, indices, batchSize, seed, withMasks, unknownGeometry(transform),
                strongView == null ? null : UnlabeledViews.shared(unknownGeometry(transform), strongView, Math.max(1, views)),
                workers, prefetch, firstIteration);
    }

    private static ViewTransform unknownGeometry(Transform transform) {
        return (s, rng) -> new View(transform.apply(s, rng), null);
    }

    /**
     * A loader of unlabeled images: the weak view {@code views.geometric()} (its mask, e.g. a padding mask, goes to
     * {@link HostBatch#masks()} when {@code withMasks}) and {@code views.count()} strong views, with their geometry.
     */
    public BatchLoader(SegDataset dataset, List<Integer> indices, int batchSize, long seed, boolean withMasks,
                       UnlabeledViews views, int workers, int prefetch, int firstIteration) {
        this(dataset, indices, batchSize, seed, withMasks, views.geometric(), views, workers, prefetch, firstIteration);
    }

    private BatchLoader(SegDataset dataset, List<Integer> indices, int batchSize, long seed, boolean withMasks,
                        ViewTransform transform, UnlabeledViews unlabeled, int workers, int prefetch, int firstIteration) {
        if (indices.isEmpty()) {
            throw new SemisegException("the training split is empty: no images to draw batches from");
        }
        this.dataset = dataset;
        this.indices = List.copyOf(indices);
        this.batchSize = batchSize;
        this.seed = seed;
        this.withMasks = withMasks;
        this.transform = transform;
        this.unlabeled = unlabeled;
        this.prefetch = prefetch;
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "semiseg-loader");
            t.setDaemon(true);
            return t;
        });
        this.nextToSubmit = firstIteration;
        this.nextToTake = firstIteration;
    }

    /** The batch of iteration {@code iteration}; iterations must be taken in order. */
    public HostBatch take(int iteration) {
        if (iteration != nextToTake) {
            throw new IllegalStateException("batches are served in order: expected " + nextToTake + ", got " + iteration);
        }
        while (nextToSubmit < nextToTake + prefetch) {
            int it = nextToSubmit++;
            queue.add(workers.submit(() -> build(it)));
        }
        nextToTake++;
        try {
            return queue.poll().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for data", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The dataset index at position {@code position} of the endless, epoch-wise shuffled sample stream. */
    int indexAt(long position) {
        int n = indices.size();
        long epoch = position / n;
        int[] order = permutation(epoch);
        return indices.get(order[(int) (position % n)]);
    }

    private int[] permutation(long epoch) {
        int n = indices.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, 0x5EED_0DE5L, epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private HostBatch build(int iteration) {
        int views = unlabeled == null ? 0 : unlabeled.count();
        float[] images = null;
        float[][] strong = null;
        int[] masks = null;
        String[] ids = new String[batchSize];
        ViewGeometry[] geometry = new ViewGeometry[batchSize];
        ViewGeometry[][] strongGeometry = views == 0 ? null : new ViewGeometry[views][batchSize];
        int h = 0;
        int w = 0;
        // independent strong views are cut from the weak view, so the weak view itself is their frame
        boolean independent = views > 0 && !unlabeled.sharedGeometry();
        for (int slot = 0; slot < batchSize; slot++) {
            Sample original = dataset.get(indexAt((long) iteration * batchSize + slot));
            SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, iteration, slot));
            View main = transform.apply(original, rng);
            Sample s = main.sample();
            if (slot == 0) {
                h = s.height();
                w = s.width();
                images = new float[batchSize * 3 * h * w];
                strong = views > 0 ? new float[views][batchSize * 3 * h * w] : null;
                masks = withMasks ? new int[batchSize * h * w] : null;
            } else if (s.height() != h || s.width() != w) {
                throw new SemisegException("image " + s.id() + " is " + s.width() + "x" + s.height()
                        + " but the batch is " + w + "x" + h + ": images of one batch must share a size (crop or resize them)");
            }
            ImageNormalisation.normalise(s.image(), images, slot * 3 * h * w);
            geometry[slot] = independent ? ViewGeometry.identity(h, w) : main.geometry();
            for (int v = 0; v < views; v++) {
                // Transforms never change their input, so the weak view and the original stay as they are.
                View base = independent ? unlabeled.strongGeometric().apply(s, rng) : main;
                if (independent && base.geometry() == null) {
                    // without it the pseudo-labels could not follow the view (StepBatches would map by identity)
                    throw new IllegalStateException("an independent strong view must report its geometry");
                }
                Sample view = unlabeled.photometric().apply(base.sample(), rng);
                if (view.height() != h || view.width() != w) {
                    throw new SemisegException("strong view " + v + " of image " + s.id() + " is " + view.width() + "x"
                            + view.height() + " but its weak view is " + w + "x" + h + ": views must share a size (set a crop)");
                }
                ImageNormalisation.normalise(view.image(), strong[v], slot * 3 * h * w);
                strongGeometry[v][slot] = base.geometry();
            }
            if (withMasks) {
                if (s.mask() == null) {
                    throw new SemisegException("image " + s.id() + " has no mask but is in the labeled split");
                }
                System.arraycopy(s.mask(), 0, masks, slot * h * w, h * w);
            }
            ids[slot] = s.id();
        }
        boolean strongKnown = strongGeometry != null && java.util.Arrays.stream(strongGeometry).allMatch(BatchLoader::known);
        return new HostBatch(images, strong, masks, ids, batchSize, h, w, known(geometry) ? geometry : null,
                strongKnown ? strongGeometry : null);
    }

    /** Whether every view's geometry is known. */
    private static boolean known(ViewGeometry[] geometry) {
        return java.util.Arrays.stream(geometry).allMatch(java.util.Objects::nonNull);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
