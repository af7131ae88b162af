/**
 * Datasets, labeled/unlabeled splits, and the loader: decoding and augmentation on worker threads, every batch a
 * function of (seed, iteration) so that a resumed run sees the same batches. Unlabeled batches carry the weak view,
 * its padding mask and the strong views with their geometry.
 */
package org.semiseg.data;
