package org.semiseg.config;

import java.util.List;

/** Where the images come from and which of them keep their masks. */
public record DataConfig(String dataset, String root, String labeled, int ignoreIndex, int workers, int prefetch,
                         DemoConfig demo) {
    public static final List<String> DATASETS = List.of("demo");

    public DataConfig {
        Check.oneOf("data.dataset", dataset, DATASETS);
        LabeledShare.parse("data.labeled", labeled);
        Check.atLeast("data.ignore_index", ignoreIndex, 0);
        Check.atLeast("data.workers", workers, 1);
        Check.atLeast("data.prefetch", prefetch, 1);
        Check.present("data.demo", demo);
    }

    /** Sizes of the generated demo dataset. */
    public record DemoConfig(long seed, int trainImages, int valImages, int size) {
        public DemoConfig {
            Check.atLeast("data.demo.train_images", trainImages, 2);
            Check.atLeast("data.demo.val_images", valImages, 1);
            Check.atLeast("data.demo.size", size, 16);
        }
    }
}
