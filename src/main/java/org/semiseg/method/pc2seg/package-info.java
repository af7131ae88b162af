/**
 * The pieces of PC2Seg (Zhong et al., "Pixel Contrastive-Consistent Semi-Supervised Semantic Segmentation", ICCV
 * 2021), each tested alone by hand: the label-space consistency 1 − cos between the two views' class probabilities,
 * the four rules that weigh a pixel of the batch as a negative of an anchor, the host draws of anchors and negatives,
 * and the pixel contrast that composes them with the InfoNCE term of {@link org.semiseg.method.u2pl.InfoNce}.
 * {@link org.semiseg.method.Pc2seg} is the method.
 */
package org.semiseg.method.pc2seg;
