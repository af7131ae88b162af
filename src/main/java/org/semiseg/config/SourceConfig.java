package org.semiseg.config;

/**
 * A second, fully labeled dataset ({@code data.source}) for semi-supervised domain adaptation (Alonso et al., ICCV
 * 2021, Section 4.3.2: GTA5 alongside Cityscapes' few labeled and many unlabeled images). Every image of its split is
 * used with its mask; its classes must be the target's, index for index.
 *
 * @param dataset reader name as for {@code data.dataset}; null means no source dataset. {@code demo} means demo scenes
 *                generated with the seed {@code data.demo.seed + 1000} (same size and classes as the target demo)
 * @param root    its folder (not used by the demo); this and {@code spec} are relative to the working directory and
 *                held absolute
 * @param spec    folder datasets: their YAML; null means {@code <root>/dataset.yaml}
 * @param split   the split whose images are used; null means the dataset's training split
 * @param resize  scale its images (and masks) on load, as {@code data.resize}; null keeps their size
 */
public record SourceConfig(String dataset, String root, String spec, String split, Resize resize) {
    public SourceConfig {
        if (dataset == null) {
            refuseWithoutDataset("data.source.root", root);
            refuseWithoutDataset("data.source.spec", spec);
            refuseWithoutDataset("data.source.split", split);
            if (resize != null) {
                throw ConfigException.key("data.source.resize", "is set but data.source.dataset is null (no source dataset)");
            }
        } else {
            Check.oneOf("data.source.dataset", dataset, DataConfig.DATASETS);
            if (!dataset.equals("demo") && (root == null || root.isBlank())) {
                throw ConfigException.key("data.source.root", "is required for source dataset " + dataset
                        + ": the folder that holds it");
            }
            if (spec != null && !dataset.equals("folder")) {
                throw ConfigException.key("data.source.spec", "applies to source dataset folder only, not " + dataset);
            }
            if (split != null && split.isBlank()) {
                throw ConfigException.key("data.source.split", "must be a split name or null (the dataset's training split)");
            }
        }
        root = DataConfig.absolute(root);
        spec = DataConfig.absolute(spec);
    }

    /** Whether a source dataset is configured. */
    public boolean enabled() {
        return dataset != null;
    }

    private static void refuseWithoutDataset(String key, String value) {
        if (value != null) {
            throw ConfigException.key(key, "is set but data.source.dataset is null (no source dataset)");
        }
    }
}
