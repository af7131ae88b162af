/**
 * Data augmentation for semi-supervised segmentation: the weak and strong set-ups of Table 1 of Alonso et al.
 * (ICCV 2021) as per-sample {@link org.semiseg.data.BatchLoader.Transform}s ({@link org.semiseg.augment.Augmentations},
 * {@link org.semiseg.augment.AugmentPreset}), with the geometry of each view ({@link org.semiseg.augment.ViewGeometry})
 * so that labels can follow a view. The batch-level mixes (ClassMix, CutMix) run on the training device:
 * {@code org.semiseg.method.parts.Mix}.
 *
 * <p>Sources, cited on each class: the paper's Table 1 for probabilities and strengths; the authors' code
 * (github.com/Shathe/SemiSeg-Contrastive: {@code trainSSL.py}, {@code utils/transformsgpu.py},
 * {@code utils/transformmasks.py}) for what the table leaves open; torchvision for colour-jitter semantics and torch
 * for resampling. Where this package departs from the authors' code it says so.
 *
 * <p>Determinism and threads: every random choice comes from the {@link java.util.SplittableRandom} passed in, in a
 * fixed order, so the same seed gives the same output. The classes hold no mutable state (records and static
 * methods), never modify their inputs, and may be used from any number of loader threads at once.
 */
package org.semiseg.augment;
