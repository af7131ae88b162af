package org.semiseg.model;

import ai.djl.ndarray.NDArray;

/**
 * What {@link SegmentationNet#decode} returns.
 *
 * @param features pre-classifier feature map (N, F, h, w): the DeepLabv3+ decoder's output at stride 4, or for
 *                 DeepLabv2 the encoder's output at stride 8
 * @param logits   class scores (N, C, H, W), upsampled bilinearly (align_corners=false) to the requested size
 */
public record DecoderOutput(NDArray features, NDArray logits) {
}
