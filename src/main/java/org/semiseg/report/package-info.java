/** Self-contained HTML reports of a run and of a grid (inline SVG charts, example images), rebuilt from files. */
package org.semiseg.report;
