/**
 * The pixel-level contrastive module of Alonso et al. (ICCV 2021, Section 3.4): the heads and class-wise attention
 * modules, the class-wise memory bank, its update from labeled features, and the loss of Eq. 8-11.
 */
package org.semiseg.method.contrast;
