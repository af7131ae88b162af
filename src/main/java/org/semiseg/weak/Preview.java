package org.semiseg.weak;

import org.semiseg.data.Palette;
import org.semiseg.io.Images;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code preview.png} of {@code semiseg weak}: one row per image, four tiles: the image; its CAMs (each pixel blended
 * from the image's gray towards its strongest class's colour by that CAM's value); the pseudo-mask (class colours,
 * white where ignored); the true mask when the dataset has one (class colours, white where ignored), else blank.
 * Small images are drawn larger (tiles of at least 128 pixels).
 */
final class Preview {
    private static final int GAP = 4;
    private static final int TILES = 4;
    private static final int WHITE = 0xFFFFFF;

    /**
     * One row.
     *
     * @param image  (3, H, W) in [0, 1]
     * @param cams   one (H·W) map per class of {@code classes}
     * @param mask   the pseudo-mask
     * @param truth  the true mask, or null
     */
    record Row(float[] image, int height, int width, List<float[]> cams, List<Integer> classes, int[] mask, int[] truth) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final int capacity;

    Preview(int capacity) {
        this.capacity = capacity;
    }

    /** Whether another row is wanted. */
    boolean wants() {
        return rows.size() < capacity;
    }

    void add(Row row) {
        if (wants()) {
            rows.add(row);
        }
    }

    /** Writes the rows (all of the first row's size; others are skipped) as one PNG. */
    void write(Path file, Palette palette) {
        if (rows.isEmpty()) {
            return;
        }
        int h = rows.get(0).height();
        int w = rows.get(0).width();
        List<Row> same = rows.stream().filter(r -> r.height() == h && r.width() == w).toList();
        int scale = Math.max(1, 128 / Math.max(h, w));
        int tileW = w * scale;
        int tileH = h * scale;
        int width = TILES * (tileW + GAP) + GAP;
        int height = same.size() * (tileH + GAP) + GAP;
        float[] canvas = new float[3 * width * height];
        java.util.Arrays.fill(canvas, 1f);
        for (int r = 0; r < same.size(); r++) {
            Row row = same.get(r);
            int top = GAP + r * (tileH + GAP);
            for (int y = 0; y < tileH; y++) {
                for (int x = 0; x < tileW; x++) {
                    int i = (y / scale) * w + x / scale;
                    int[] colours = {rgb(row.image(), i, h * w), cam(row, i, palette), label(palette, row.mask(), i),
                            row.truth() == null ? WHITE : label(palette, row.truth(), i)};
                    for (int t = 0; t < TILES; t++) {
                        int left = GAP + t * (tileW + GAP);
                        for (int c = 0; c < 3; c++) {
                            canvas[c * width * height + (top + y) * width + left + x] = ((colours[t] >> (16 - 8 * c)) & 0xFF) / 255f;
                        }
                    }
                }
            }
        }
        Images.writeImagePng(file, canvas, height, width);
    }

    private static int rgb(float[] image, int i, int plane) {
        int out = 0;
        for (int c = 0; c < 3; c++) {
            out = (out << 8) | Math.round(Math.max(0, Math.min(1, image[c * plane + i])) * 255);
        }
        return out;
    }

    /** The image's gray blended towards the strongest class's colour by its CAM value. */
    private static int cam(Row row, int i, Palette palette) {
        int plane = row.height() * row.width();
        float gray = (row.image()[i] + row.image()[plane + i] + row.image()[2 * plane + i]) / 3f;
        float best = 0;
        int colour = 0;
        for (int k = 0; k < row.cams().size(); k++) {
            if (row.cams().get(k)[i] > best) {
                best = row.cams().get(k)[i];
                colour = palette.rgb(row.classes().get(k));
            }
        }
        int out = 0;
        for (int c = 0; c < 3; c++) {
            float v = (1 - best) * gray + best * ((colour >> (16 - 8 * c)) & 0xFF) / 255f;
            out = (out << 8) | Math.round(Math.max(0, Math.min(1, v)) * 255);
        }
        return out;
    }

    private static int label(Palette palette, int[] labels, int i) {
        return palette.contains(labels[i]) ? palette.rgb(labels[i]) : WHITE;
    }
}
