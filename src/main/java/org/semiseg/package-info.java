/**
 * semiseg: semi-supervised semantic segmentation on the JVM. The packages, from the outside in: {@code cli}
 * (commands), {@code config} (typed settings), {@code data} and {@code augment} (images in, batches out),
 * {@code model} (networks and the layer toolkit), {@code method} (one file per method, and the parts they share),
 * {@code train} (the one loop), {@code eval}, {@code io}, {@code report}, {@code bench}. {@code docs/architecture.md}
 * draws the map.
 */
package org.semiseg;
