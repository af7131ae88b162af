/**
 * {@code semiseg weak}: pseudo-masks from image-level tags, the weak labels of CCT (Ouali et al., CVPR 2020, "Using
 * image-level labels"). {@link org.semiseg.weak.PseudoMaskMaker} runs the three steps: a
 * {@link org.semiseg.weak.CamClassifier} trained on the tags ({@link org.semiseg.weak.ClassifierTraining}), its class
 * activation maps thresholded ({@link org.semiseg.weak.CamThresholds}) and optionally refined by a
 * {@link org.semiseg.weak.DenseCrf}, written per image by {@link org.semiseg.weak.MaskWriter}; then
 * {@link org.semiseg.weak.Preview} and {@link org.semiseg.weak.WeakReport} say what was made and how good it is.
 * Training reads the result through {@code data.pseudo_masks}; CCT's L_w is in {@code org.semiseg.method.Cct}.
 */
package org.semiseg.weak;
