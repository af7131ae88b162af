package org.semiseg.model;

import ai.djl.ndarray.NDArray;

/**
 * What {@link SegmentationNet#encode} returns: the encoder's feature maps at two levels. A method may perturb them
 * (UniMatch's channel dropout, CCT's feature noise) and decode the result again with {@link SegmentationNet#decode}.
 *
 * @param lowLevel        layer1's output (N, L, H/4, W/4): the DeepLabv3+ decoder's skip input
 * @param lowLevelStride  4
 * @param highLevel       the encoder's output (N, F, H/s, W/s), s = the output stride (8 or 16): layer4, or for pspnet
 *                        the pyramid pooling on it
 * @param highLevelStride s
 */
public record Features(NDArray lowLevel, int lowLevelStride, NDArray highLevel, int highLevelStride) {
    /** The same strides with other arrays (for example perturbed copies). */
    public Features with(NDArray newLowLevel, NDArray newHighLevel) {
        return new Features(newLowLevel, lowLevelStride, newHighLevel, highLevelStride);
    }
}
