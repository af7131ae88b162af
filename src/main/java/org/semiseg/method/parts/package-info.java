/**
 * Pieces that more than one method composes, each small and tested alone by hand-computed values: pseudo-labels
 * (Eq. 5) and their weighted loss (Eq. 6), entropy (Eq. 7), the EMA teacher, the view map that makes labels follow a
 * strong view's geometry, one device-side mix type for ClassMix and CutMix, and inner gradients (a gradient with
 * respect to a tensor a method made, without touching parameter gradients).
 */
package org.semiseg.method.parts;
