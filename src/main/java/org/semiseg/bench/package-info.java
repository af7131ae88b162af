/**
 * {@code semiseg bench GRID.yaml}: a grid of runs (methods x label ratios x seeds) trained one after another,
 * resumable, with results tables (mean, spread, paired gain over supervised, step-time split) rewritten after every
 * run.
 */
package org.semiseg.bench;
