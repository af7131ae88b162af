package org.semiseg.data;

import java.nio.file.Path;
import org.semiseg.io.Images;

/**
 * Draws a grid of demo scenes, each image beside its colour mask, scaled up, into one PNG: a quick way to see what
 * the demo data looks like. Usage: {@code DemoMontage <out.png> [count] [seed] [scale]}.
 */
public final class DemoMontage {
    private static final int PAIRS_PER_ROW = 4;
    private static final int GAP = 4;

    private DemoMontage() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: DemoMontage <out.png> [count=12] [seed=0] [scale=2]");
            System.exit(2);
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
        int scale = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        write(Path.of(args[0]), DemoScenes.split(seed, "train", count, DemoData.IMAGE_SIZE), scale);
    }

    /** Writes every sample of {@code scenes} as an image|mask pair, {@code scale} times larger, 4 pairs a row. */
    public static void write(Path out, DemoScenes scenes, int scale) {
        Palette palette = Palette.forClasses(scenes.classNames().size());
        int tile = scenes.imageSize() * scale;
        int rows = (scenes.size() + PAIRS_PER_ROW - 1) / PAIRS_PER_ROW;
        int width = PAIRS_PER_ROW * (2 * tile + 3 * GAP);
        int height = rows * (tile + GAP) + GAP;
        float[] canvas = new float[3 * width * height];
        java.util.Arrays.fill(canvas, 1f);
        for (int k = 0; k < scenes.size(); k++) {
            Sample sample = scenes.get(k);
            int left = (k % PAIRS_PER_ROW) * (2 * tile + 3 * GAP) + GAP;
            int top = (k / PAIRS_PER_ROW) * (tile + GAP) + GAP;
            int plane = sample.height() * sample.width();
            for (int y = 0; y < tile; y++) {
                for (int x = 0; x < tile; x++) {
                    int i = (y / scale) * sample.width() + x / scale;
                    int colour = palette.rgb(sample.mask()[i]);
                    for (int c = 0; c < 3; c++) {
                        int at = c * width * height + (top + y) * width;
                        canvas[at + left + x] = sample.image()[c * plane + i];
                        canvas[at + left + tile + GAP + x] = ((colour >> (16 - 8 * c)) & 0xFF) / 255f;
                    }
                }
            }
        }
        Images.writeImagePng(out, canvas, height, width);
    }
}
