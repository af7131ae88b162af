/**
 * Pure functions of tensors shared by methods: the weighted cross-entropy of Eq. 3 (Alonso et al.), class balancing,
 * and {@link org.semiseg.loss.GraphSafe}, the rule for scalars that meet tensors autograd keeps (a test scans the
 * method and loss code for it).
 */
package org.semiseg.loss;
