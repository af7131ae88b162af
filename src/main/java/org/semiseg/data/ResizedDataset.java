package org.semiseg.data;

import org.semiseg.augment.Resampling;
import org.semiseg.config.Resize;

import java.util.List;

/** A dataset whose images (bilinear) and masks (nearest) are scaled on load, for CPU-sized runs. */
public final class ResizedDataset implements SegDataset {
    private final SegDataset base;
    private final Resize resize;

    private ResizedDataset(SegDataset base, Resize resize) {
        this.base = base;
        this.resize = resize;
    }

    /** {@code base} itself when {@code resize} is null. */
    public static SegDataset of(SegDataset base, Resize resize) {
        return resize == null ? base : new ResizedDataset(base, resize);
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public Sample get(int index) {
        Sample s = base.get(index);
        int[] hw = resize.sizeFor(s.height(), s.width());
        if (hw[0] == s.height() && hw[1] == s.width()) {
            return s;
        }
        return Resampling.resize(s, hw[0], hw[1]);
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }

    @Override
    public int ignoreIndex() {
        return base.ignoreIndex();
    }
}
