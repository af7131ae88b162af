/**
 * The pieces of CCT (Ouali et al., "Semi-Supervised Semantic Segmentation with Cross-Consistency Training", CVPR
 * 2020), each small and tested alone by hand: the perturbations of the encoder's output that its auxiliary decoders
 * see (feature drop, feature noise, intermediate VAT, guided cutout, context and object masking; spatial dropout is
 * {@link org.semiseg.model.Dropout2d}), their stacking for one grouped decoder pass, and the consistency term with its
 * ramp. {@link org.semiseg.method.Cct} composes them.
 */
package org.semiseg.method.cct;
