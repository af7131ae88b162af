package org.semiseg.config;

/** Joint image and mask augmentation of the labeled training images. */
public record AugmentConfig(boolean hflip) {
}
