package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.loss.GraphSafe;
import org.semiseg.method.contrast.BankSelection;

/**
 * Nearest-neighbour resizing on the device, as torch's {@code F.interpolate(x, size, mode="nearest")}: output pixel
 * (y, x) takes input pixel ({@link BankSelection#nearestIndex} of y, of x). For labels, masks and probabilities taken to
 * a feature map's resolution; any data type.
 */
public final class Nearest {
    private Nearest() {
    }

    /**
     * @param x (N, C, H, W) or (N, H, W)
     * @return (N, C, height, width) or (N, height, width) of x's type, in x's manager; x itself when the size matches
     */
    public static NDArray resize(NDArray x, int height, int width) {
        Shape s = x.getShape();
        boolean channels = s.dimension() == 4;
        if (!channels && s.dimension() != 3) {
            throw new IllegalArgumentException("expected (N, C, H, W) or (N, H, W), got " + s);
        }
        int h = (int) s.get(s.dimension() - 2);
        int w = (int) s.get(s.dimension() - 1);
        if (h == height && w == width) {
            return x;
        }
        long n = s.get(0);
        long c = channels ? s.get(1) : 1;
        int[] rows = BankSelection.nearestIndex(h, height);
        int[] cols = BankSelection.nearestIndex(w, width);
        int[] source = new int[height * width];
        for (int y = 0; y < height; y++) {
            for (int col = 0; col < width; col++) {
                source[y * width + col] = rows[y] * w + cols[col];
            }
        }
        try (NDArray index = GraphSafe.upload(x.getManager(), source);
             NDArray index64 = index.toType(DataType.INT64, false).reshape(1, 1, (long) height * width);
             NDArray spread = index64.broadcast(n, c, (long) height * width);
             NDArray flat = x.reshape(n, c, (long) h * w)) {
            NDArray gathered = flat.gather(spread, 2);
            return gathered.reshape(channels ? new Shape(n, c, height, width) : new Shape(n, height, width));
        }
    }
}
