package org.semiseg.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the images come from, which of them keep their masks, and how they are loaded.
 *
 * @param dataset    reader name: the generated demo or an on-disk layout (see {@code org.semiseg.data.sets})
 * @param root       dataset folder (not used by the demo); this and the other paths are relative to the working
 *                   directory and held absolute
 * @param spec       folder datasets: the YAML that describes them; null means {@code <root>/dataset.yaml}
 * @param trainSplit split the training images come from; null means the dataset's own default
 * @param valSplit   split that validates; null means the dataset's own default
 * @param unlabeledSplit a split of raw images whose images all join the unlabeled side (e.g. a folder dataset's
 *                   split without masks); null for none
 * @param labeled    share, count or "all" of the training images that keep their masks (when no split files)
 * @param splitSeed  seed that draws the labeled images (when no split files)
 * @param splitDir   folder with {@code labeled.txt} and {@code unlabeled.txt}; when set they decide the split (and its
 *                   {@code val.txt}, when present, the validation images unless {@code valSplit} is set)
 * @param valFromTrain validation images carved from the training split by share and seed; off when its share is null
 * @param vocProtocol Pascal VOC only: {@code classic} draws labeled images from the 1,464 finely annotated ones,
 *                   {@code augmented} from the 10,582 of the SBD-augmented set
 * @param resize     scale every image (and mask) on load: a factor or a fixed [height, width]; null keeps sizes
 * @param check      data check before training: {@code fast} (files, pairs, sizes), {@code full} (also decodes
 *                   everything and checks mask values) or {@code off}
 * @param source     a second, fully labeled dataset for semi-supervised domain adaptation; {@link SourceConfig#enabled()}
 *                   is false when none is configured
 * @param weak       share, count or "all" of the unlabeled images that keep their image-level labels (tags): the
 *                   tagged role ({@code org.semiseg.data.TaggedImages}); null: none
 * @param pseudoMasks folder of pseudo-masks of the tagged images written by {@code semiseg weak}, which a method that
 *                   learns from image-level labels ({@code cct}) trains on; null: none
 * @param domains    several domains on one shared encoder ({@link DomainConfig}, README "Several domains"): empty for a
 *                   run on one dataset (the keys above); otherwise at least two, whose resolved blocks replace the keys
 *                   above as the run's data (those keys are then only what the entries inherit). Left out of the
 *                   written config when empty, so a one-dataset run's config.yaml is as before.
 */
public record DataConfig(String dataset, String root, String spec, String trainSplit, String valSplit,
                         String unlabeledSplit, String labeled, long splitSeed, String splitDir, ValFromTrain valFromTrain,
                         String vocProtocol, Resize resize,
                         String check, int ignoreIndex, int workers, int prefetch, DemoConfig demo,
                         SourceConfig source, @JsonDeserialize(using = DataConfig.WeakText.class) String weak,
                         String pseudoMasks,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                         @JsonDeserialize(using = DataConfig.DomainsRead.class) List<DomainConfig> domains) {
    public static final List<String> DATASETS = List.of("demo", "camvid", "voc", "cityscapes", "gta5", "folder");
    public static final List<String> CHECKS = List.of("fast", "full", "off");
    public static final List<String> VOC_PROTOCOLS = List.of("classic", "augmented");

    public DataConfig {
        Check.oneOf("data.dataset", dataset, DATASETS);
        if (!dataset.equals("demo") && (root == null || root.isBlank())) {
            throw ConfigException.key("data.root", "is required for dataset " + dataset + ": the folder that holds it");
        }
        LabeledShare.parse("data.labeled", labeled);
        Check.oneOf("data.voc_protocol", vocProtocol, VOC_PROTOCOLS);
        if ("false".equals(check)) {
            check = "off";  // YAML 1.1 reads an unquoted `off` as the boolean false
        }
        Check.oneOf("data.check", check, CHECKS);
        Check.atLeast("data.ignore_index", ignoreIndex, 0);
        Check.atLeast("data.workers", workers, 1);
        Check.atLeast("data.prefetch", prefetch, 1);
        Check.present("data.demo", demo);
        Check.present("data.source", source);
        Check.present("data.val_from_train", valFromTrain);
        if (valFromTrain.enabled() && dataset.equals("demo")) {
            throw ConfigException.key("data.val_from_train.share", "applies to datasets on disk (the demo generates its own"
                    + " validation images, data.demo.val_images)");
        }
        if (valFromTrain.enabled() && valSplit != null) {
            throw ConfigException.key("data.val_from_train.share", "is set and so is data.val_split (" + valSplit
                    + "): both choose the validation images; set one of them");
        }
        if (weak != null && weak.isBlank()) {
            weak = null;
        }
        if (weak != null) {
            LabeledShare.parse("data.weak", weak);
        }
        root = absolute(root);
        spec = absolute(spec);
        splitDir = absolute(splitDir);
        pseudoMasks = absolute(pseudoMasks);
        domains = domains == null ? List.of() : List.copyOf(domains);
        if (!domains.isEmpty()) {
            checkDomains(domains, source, weak, pseudoMasks);
        }
    }

    /**
     * At least two domains with distinct names; no source dataset and no image-level labels (CCT's weak labels), in
     * the top-level block or in an entry: several domains are implemented for fully and partly labeled datasets only.
     */
    private static void checkDomains(List<DomainConfig> domains, SourceConfig source, String weak, String pseudoMasks) {
        if (domains.size() < 2) {
            throw ConfigException.key("data.domains", "needs at least 2 domains (got " + domains.size() + "); a run on"
                    + " one dataset leaves data.domains empty and sets data.* itself");
        }
        refuseInDomains("data", source, weak, pseudoMasks);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < domains.size(); i++) {
            DomainConfig d = domains.get(i);
            String key = "data.domains[" + i + "]";
            if (!names.add(d.name())) {
                throw ConfigException.key(key + ".name", "'" + d.name() + "' names an earlier domain too; each domain"
                        + " needs its own name");
            }
            refuseInDomains(key, d.data().source(), d.data().weak(), d.data().pseudoMasks());
        }
    }

    private static void refuseInDomains(String key, SourceConfig source, String weak, String pseudoMasks) {
        if (source != null && source.enabled()) {
            throw ConfigException.key(key + ".source.dataset", "a source dataset (domain adaptation) cannot be combined"
                    + " with data.domains; give the source as a domain of its own");
        }
        if (weak != null) {
            throw ConfigException.key(key + ".weak", "image-level labels are not supported with data.domains (each"
                    + " domain learns from its labeled and unlabeled images only)");
        }
        if (pseudoMasks != null) {
            throw ConfigException.key(key + ".pseudo_masks", "pseudo-masks are not supported with data.domains");
        }
    }

    /** Whether the run has several domains ({@code data.domains} is not empty). */
    public boolean hasDomains() {
        return !domains.isEmpty();
    }

    /** The same block with {@code domains} as its domains. */
    public DataConfig withDomains(List<DomainConfig> domains) {
        return new DataConfig(dataset, root, spec, trainSplit, valSplit, unlabeledSplit, labeled, splitSeed, splitDir,
                valFromTrain, vocProtocol, resize, check, ignoreIndex, workers, prefetch, demo, source, weak, pseudoMasks,
                domains);
    }

    /** Whether some unlabeled images keep their tags ({@code data.weak} is set). */
    public boolean tagged() {
        return weak != null;
    }

    /** Paths in a config are relative to the working directory; the resolved config holds them absolute. */
    static String absolute(String path) {
        return path == null || path.isBlank() ? null : Path.of(path).toAbsolutePath().normalize().toString();
    }

    /** The same data with another split seed and no split files (for drawing splits). */
    public DataConfig withSplitSeed(long seed) {
        return new DataConfig(dataset, root, spec, trainSplit, valSplit, unlabeledSplit, labeled, seed, null, valFromTrain, vocProtocol, resize, check,
                ignoreIndex, workers, prefetch, demo, source, weak, pseudoMasks, domains);
    }

    /** Sizes of the generated demo dataset. */
    public record DemoConfig(long seed, int trainImages, int valImages, int size) {
        public DemoConfig {
            Check.atLeast("data.demo.train_images", trainImages, 2);
            Check.atLeast("data.demo.val_images", valImages, 1);
            Check.atLeast("data.demo.size", size, 16);
        }
    }

    /**
     * {@code data.domains} is resolved by {@link ConfigLoader} (each entry over the top-level block) and never reaches
     * Jackson; this keeps Jackson from building a reader for {@link DomainConfig}, whose unwrapped data block it cannot
     * read.
     */
    static final class DomainsRead extends com.fasterxml.jackson.databind.JsonDeserializer<List<DomainConfig>> {
        @Override
        public List<DomainConfig> deserialize(com.fasterxml.jackson.core.JsonParser p,
                                              com.fasterxml.jackson.databind.DeserializationContext context) {
            throw ConfigException.key("data.domains", "is read by the config loader only");
        }
    }

    /** Reads {@code data.weak} written as a number (0.5, 30) or as text ("1/2", all). */
    static final class WeakText extends com.fasterxml.jackson.databind.JsonDeserializer<String> {
        @Override
        public String deserialize(com.fasterxml.jackson.core.JsonParser p,
                                  com.fasterxml.jackson.databind.DeserializationContext context) throws java.io.IOException {
            if (p.currentToken().isScalarValue()) {
                return p.getText();
            }
            throw ConfigException.key("data.weak", "expected a share like 1/2 or 0.5, a count like 30, or all");
        }
    }
}
