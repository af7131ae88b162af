package org.semiseg.weak;

import org.semiseg.config.Config;
import org.semiseg.data.PseudoMasks;
import org.semiseg.data.Sample;
import org.semiseg.eval.ConfusionMatrix;
import org.semiseg.io.Images;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Step 3 of {@link PseudoMaskMaker} for each image, on {@code data.workers} threads while the next CAMs are computed:
 * the thresholds ({@link CamThresholds}), the CRF ({@link DenseCrf}) when {@code weak.crf} > 0, the PNG; and what the
 * run reports: the index entries, the preview rows, and the tallies against the true masks with and without the CRF.
 */
final class MaskWriter implements AutoCloseable {
    /** One image's pseudo-mask, after and before the CRF, with its true mask (or null). */
    private record Done(int[] mask, int[] plain, int[] truth) {
    }

    final Preview preview;
    final List<PseudoMasks.Entry> entries = new ArrayList<>();
    final Tally crf;
    final Tally plain;
    private final Config config;
    private final Path out;
    private final int background;
    private final DenseCrf.Settings settings;
    private final ExecutorService pool;
    private final ArrayDeque<Future<Done>> pending = new ArrayDeque<>();

    /** @param background the background class, or -1 */
    MaskWriter(Config config, Path out, int background, int classes, int previewRows) {
        this.config = config;
        this.out = out;
        this.background = background;
        this.preview = new Preview(previewRows);
        this.settings = DenseCrf.Settings.authors(config.weak().crf());
        this.crf = new Tally(classes, config.data().ignoreIndex());
        this.plain = new Tally(classes, config.data().ignoreIndex());
        this.pool = Executors.newFixedThreadPool(config.data().workers(), r -> {
            Thread t = new Thread(r, "semiseg-crf");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param cams    the normalised CAMs of {@code tags}
     * @param tags    the classes whose CAMs are given (the image's tags but the background class)
     * @param allTags the image's tags, for the index
     * @param truth   its true mask, or null
     */
    void add(int position, Sample s, List<float[]> cams, List<Integer> tags, List<Integer> allTags, int[] truth,
             List<String> names) {
        String file = PseudoMasks.MASKS + "/" + String.format("%06d.png", position);
        entries.add(new PseudoMasks.Entry(s.id(), file, allTags.stream().map(names::get).toList()));
        // the preview's images are refined here, the others on the pool
        Done first = preview.wants() ? refine(s, cams, tags, truth) : null;
        if (first != null) {
            preview.add(new Preview.Row(s.image(), s.height(), s.width(), cams, tags, first.mask(), truth));
        }
        pending.add(pool.submit(() -> {
            Done done = first != null ? first : refine(s, cams, tags, truth);
            Images.writeLabelPng(out.resolve(file), done.mask(), s.height(), s.width());
            return done;
        }));
        while (pending.size() > 2 * config.data().workers()) {
            take(pending.poll());
        }
    }

    /** Waits for every image. */
    void finish() {
        while (!pending.isEmpty()) {
            take(pending.poll());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** The thresholded CAMs, and (with a CRF) both label maps refined before they are combined, as the authors do. */
    private Done refine(Sample s, List<float[]> cams, List<Integer> tags, int[] truth) {
        int ignore = config.data().ignoreIndex();
        CamThresholds.LabelMaps maps = CamThresholds.labelMaps(cams, s.height() * s.width(), config.weak().foreground(),
                config.weak().background());
        int[] thresholded = CamThresholds.combine(maps, tags, background, ignore);
        if (settings.iterations() == 0) {
            return new Done(thresholded, thresholded, truth);
        }
        int labels = tags.size() + 1;
        // without a background class the background map is never read (CamThresholds.combine): no CRF for it
        CamThresholds.LabelMaps refined = new CamThresholds.LabelMaps(
                DenseCrf.refine(maps.foreground(), labels, s.image(), s.height(), s.width(), settings),
                background < 0 ? maps.background()
                        : DenseCrf.refine(maps.background(), labels, s.image(), s.height(), s.width(), settings));
        return new Done(CamThresholds.combine(refined, tags, background, ignore), thresholded, truth);
    }

    private void take(Future<Done> future) {
        Done done;
        try {
            done = future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing pseudo-masks", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        crf.add(done.mask(), done.truth());
        plain.add(done.plain(), done.truth());
    }

    /** Pixel counts of pseudo-masks, and their confusion with the true masks. */
    static final class Tally {
        private final ConfusionMatrix confusion;
        private final int ignore;
        private long pixels;
        private long labeled;
        private long truthLabeled;
        private long bothLabeled;
        private boolean anyTruth;

        Tally(int classes, int ignore) {
            this.confusion = new ConfusionMatrix(classes);
            this.ignore = ignore;
        }

        /** @param truth the true mask, or null */
        void add(int[] mask, int[] truth) {
            int classes = confusion.numClasses();
            int[] label = new int[mask.length];
            int[] pred = new int[mask.length];
            for (int i = 0; i < mask.length; i++) {
                boolean mine = mask[i] != ignore;
                boolean real = truth != null && truth[i] >= 0 && truth[i] < classes;
                labeled += mine ? 1 : 0;
                truthLabeled += real ? 1 : 0;
                bothLabeled += mine && real ? 1 : 0;
                label[i] = mine && real ? truth[i] : ignore;
                pred[i] = mine ? mask[i] : 0;
            }
            pixels += mask.length;
            if (truth != null) {
                anyTruth = true;
                confusion.add(label, pred, ignore);
            }
        }

        double labeledShare() {
            return pixels == 0 ? Double.NaN : (double) labeled / pixels;
        }

        PseudoMaskMaker.Quality quality() {
            return anyTruth ? new PseudoMaskMaker.Quality(confusion, truthLabeled == 0 ? Double.NaN : (double) bothLabeled / truthLabeled) : null;
        }
    }
}
