/** Readers of the dataset layouts (CamVid, VOC, Cityscapes, GTA5, folders described by YAML) and the data check. */
package org.semiseg.data.sets;
