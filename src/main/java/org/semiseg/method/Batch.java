package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import org.semiseg.method.parts.ViewMap;

import java.util.List;

/**
 * The named batches of one step, on the training device.
 *
 * @param labeled   labeled images of the target domain
 * @param unlabeled unlabeled images with their views, or null when the method loads none
 * @param source    labeled images of a second, fully labeled source domain (domain adaptation), or null
 */
public record Batch(Labeled labeled, Unlabeled unlabeled, Labeled source) {

    /**
     * @param images normalised images (N, 3, H, W)
     * @param masks  class indices (N, H, W) int64, the ignore index where unlabeled or padded
     */
    public record Labeled(NDArray images, NDArray masks) {
        public int size() {
            return (int) images.getShape().get(0);
        }

        /** These images followed by {@code more}'s (null: these alone); both must share a size. */
        public Labeled followedBy(Labeled more) {
            if (more == null) {
                return this;
            }
            ai.djl.ndarray.types.Shape a = images.getShape();
            ai.djl.ndarray.types.Shape b = more.images().getShape();
            if (a.get(2) != b.get(2) || a.get(3) != b.get(3)) {
                throw new IllegalStateException("source images are " + b.get(3) + "x" + b.get(2) + " but target images "
                        + a.get(3) + "x" + a.get(2) + ": crop or resize both to one size");
            }
            return new Labeled(images.concat(more.images(), 0), masks.concat(more.masks(), 0));
        }
    }

    /**
     * @param weak       the view a teacher labels (N, 3, H, W): no photometric change (cropped only, or the preset's
     *                   geometry when the strong views share it)
     * @param padding    where the weak view's crop padded
     * @param strong     the strong views, each with the map from the weak view onto it
     * @param weakLabels the pseudo-masks of the tagged images on the weak view's pixels (N, H, W) int64: a class
     *                   where the pseudo-mask labels the pixel, the ignore index elsewhere (untagged images, pixels
     *                   the pseudo-mask leaves out, padding); null when the method asks for none or the run has none
     */
    public record Unlabeled(NDArray weak, Padding padding, List<View> strong, NDArray weakLabels) {
        public Unlabeled {
            strong = List.copyOf(strong);
        }

        /** Without pseudo-masks. */
        public Unlabeled(NDArray weak, Padding padding, List<View> strong) {
            this(weak, padding, strong, null);
        }

        public int size() {
            return (int) weak.getShape().get(0);
        }
    }

    /**
     * Pixels an augmentation padded. Not labels: an unlabeled image has none.
     *
     * @param padded (N, H, W) boolean, true where the crop fell outside the image
     */
    public record Padding(NDArray padded) {
    }

    /**
     * One strong view of the unlabeled images.
     *
     * @param images   normalised (N, 3, H', W') after its own geometric and photometric augmentation
     * @param fromWeak maps a tensor of the weak view (images, pseudo-labels, confidences, probabilities) onto this
     *                 view's pixels; identity for shared-geometry views
     */
    public record View(NDArray images, ViewMap fromWeak) {
    }
}
