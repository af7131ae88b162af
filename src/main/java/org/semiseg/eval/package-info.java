/** Inference modes (whole, crop, sliding window, flips, scales), the confusion matrix and IoU tables. */
package org.semiseg.eval;
