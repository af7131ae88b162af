/**
 * Networks: dilated ResNet encoders and DeepLabv2/v3+ decoders, with a public API for methods that work inside the
 * network ({@link org.semiseg.model.SegmentationNet#encode}, {@link org.semiseg.model.SegmentationNet#decode},
 * {@link org.semiseg.model.SegmentationNet#classify}) and a layer toolkit for their own heads (conv, BN, linear,
 * activations, Dropout2d, pixel shuffle, ASPP, the decoders); torchvision weight import.
 */
package org.semiseg.model;
