/**
 * The pieces of U2PL (Wang et al., "Semi-Supervised Semantic Segmentation Using Unreliable Pseudo-Labels", CVPR
 * 2022), each tested alone by hand: the entropy split into reliable and unreliable pixels with its shrinking
 * unreliable share (Sec. 3.2), the representation head, the anchor and negative masks (Sec. 3.3), the per-class FIFO
 * queue of negative keys, the InfoNCE term of Eq. 3 and the class-wise contrast that composes them.
 * {@link org.semiseg.method.U2pl} is the method.
 */
package org.semiseg.method.u2pl;
