package org.semiseg.fuzz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.PseudoMasks;
import org.semiseg.data.SplitFiles;
import org.semiseg.data.sets.CamVidLayout;
import org.semiseg.data.sets.CityscapesLayout;
import org.semiseg.data.sets.DatasetLayout;
import org.semiseg.data.sets.FilePair;
import org.semiseg.data.sets.FolderLayout;
import org.semiseg.data.sets.Gta5Layout;
import org.semiseg.data.sets.Problem;
import org.semiseg.data.sets.TagFile;
import org.semiseg.data.sets.VocLayout;
import org.semiseg.io.CheckpointState;
import org.semiseg.io.Checkpoints;
import org.semiseg.io.Images;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;

/**
 * The readers of untrusted files, as fuzz targets with their seed files: the image reader (PNG, JPEG), the mask
 * decoding of every dataset layout, the checkpoint loader (safetensors and state.json), the config loader, a folder
 * dataset's spec and the split-file parser. Each target works in its own folder below the scratch folder.
 */
final class Targets {
    private static final long MIB = 1 << 20;

    private Targets() {
    }

    /** A target from its parts. */
    private record Simple(String name, List<byte[]> seeds, boolean text, Reader reader, Predicate<String> namesTheFile,
                          long fixedBound, long perByte) implements Fuzzer.Target {
        @Override
        public void read(byte[] input) throws Exception {
            reader.read(input);
        }

        @Override
        public long allocationBound(long size) {
            return fixedBound + perByte * size;
        }
    }

    interface Reader {
        void read(byte[] input) throws Exception;
    }

    /** Images and masks: up to what the file's size justifies (1-bit PNG, the loosest) at the decoder's bytes per pixel. */
    private static final long IMAGE_PER_BYTE = 2 * 24 * (Images.justifiedPixels("png", 1, 1 << 20) / (1 << 20));

    /** The targets' names, in the order of {@link #all}. */
    static final List<String> NAMES = List.of("image-png", "image-jpeg", "mask-camvid", "mask-voc", "mask-cityscapes",
            "mask-gta5", "mask-folder-index", "mask-folder-rgb", "checkpoint-safetensors", "checkpoint-state-json",
            "config", "dataset-yaml", "split-files", "tags-csv", "pseudo-masks-json");

    /** Every target, each working in its own folder below {@code scratch}; checkpoints are read into {@code manager}. */
    static List<Fuzzer.Target> all(Path scratch, NDManager manager) throws IOException {
        List<Fuzzer.Target> out = new ArrayList<>();
        out.add(image(scratch, "image-png", "png"));
        out.add(image(scratch, "image-jpeg", "jpeg"));
        Path root = Files.createDirectories(scratch.resolve("layouts"));
        out.add(mask(scratch, "mask-camvid", new CamVidLayout(root), v -> v % 12));
        out.add(mask(scratch, "mask-voc", new VocLayout(root), v -> v % 21 == 20 ? 255 : v % 21));
        out.add(mask(scratch, "mask-cityscapes", new CityscapesLayout(root), v -> v % 34));
        out.add(mask(scratch, "mask-gta5", new Gta5Layout(root), v -> v % 34));
        out.add(mask(scratch, "mask-folder-index", folderLayout(root, false), v -> v % 2 == 0 ? 0 : 255));
        out.add(mask(scratch, "mask-folder-rgb", folderLayout(root, true), v -> v % 2 == 0 ? 0 : 0xFF0000));
        out.add(safetensors(scratch, manager));
        out.add(stateJson(scratch, manager));
        out.add(config(scratch));
        out.add(datasetSpec(scratch));
        out.add(splitFiles(scratch));
        out.add(tagsCsv(scratch));
        out.add(pseudoMasksJson(scratch));
        if (!out.stream().map(Fuzzer.Target::name).toList().equals(NAMES)) {
            throw new IllegalStateException("Targets.NAMES does not list the targets of all()");
        }
        return out;
    }

    // ---- images and masks ----------------------------------------------------------------------------------------

    private static Fuzzer.Target image(Path scratch, String name, String format) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR}) {
            seeds.add(encode(pattern(24, 16, type, v -> v * 0x010203), format, false));
        }
        if (format.equals("png")) {
            seeds.add(encode(pattern(20, 12, BufferedImage.TYPE_USHORT_GRAY, v -> v * 257), "png", false));
            seeds.add(encode(pattern(20, 12, BufferedImage.TYPE_INT_ARGB, v -> v * 0x01030507), "png", false));
            seeds.add(encode(pattern(33, 9, BufferedImage.TYPE_BYTE_BINARY, v -> v % 2), "png", false));
        } else {
            seeds.add(encode(pattern(40, 24, BufferedImage.TYPE_INT_RGB, v -> v * 0x030201), "jpeg", true));
        }
        Path file = scratch.resolve(name + "." + format);
        return new Simple(name, seeds, false, input -> Images.readImage(Files.write(file, input)),
                m -> m.contains(file.toString()), 64 * MIB, IMAGE_PER_BYTE);
    }

    private static Fuzzer.Target mask(Path scratch, String name, DatasetLayout layout, IntUnaryOperator value)
            throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        if (layout.colourMasks()) {
            seeds.add(encode(pattern(16, 12, BufferedImage.TYPE_INT_RGB, value), "png", false));
            seeds.add(encode(palette(16, 12, value), "png", false));
        } else {
            seeds.add(encode(pattern(16, 12, BufferedImage.TYPE_BYTE_GRAY, value), "png", false));
            seeds.add(encode(pattern(16, 12, BufferedImage.TYPE_USHORT_GRAY, value), "png", false));
            seeds.add(encode(palette(16, 12, value), "png", false));
        }
        // and one with every raw value (most of them outside the class set: the bad-value report)
        seeds.add(encode(pattern(32, 8, layout.colourMasks() ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY,
                v -> layout.colourMasks() ? v * 0x010101 : v), "png", false));
        Path file = scratch.resolve(name + ".png");
        return new Simple(name, seeds, false, input -> layout.decodeMask(Files.write(file, input), 255),
                m -> m.contains(file.toString()), 64 * MIB, IMAGE_PER_BYTE);
    }

    private static FolderLayout folderLayout(Path root, boolean rgb) throws IOException {
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("masks"));
        String spec = "classes: [background, lesion]\n" + (rgb
                ? "mask_format: rgb\ncolors: {background: [0, 0, 0], lesion: [255, 0, 0]}\nignore_colors: [[255, 255, 255]]\n"
                : "values: {0: 0, 255: 1}\nignore_values: [254]\n")
                + "splits:\n  train: {images: images, masks: masks}\n";
        return new FolderLayout(root, Files.writeString(root.resolve(rgb ? "rgb.yaml" : "index.yaml"), spec));
    }

    /** A w x h image of the given type whose pixel i holds {@code value(i)} (an RGB int or a raw sample). */
    private static BufferedImage pattern(int w, int h, int type, IntUnaryOperator value) {
        BufferedImage image = new BufferedImage(w, h, type);
        boolean raw = type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_USHORT_GRAY
                || type == BufferedImage.TYPE_BYTE_BINARY;
        for (int i = 0; i < w * h; i++) {
            if (raw) {
                image.getRaster().setSample(i % w, i / w, 0, value.applyAsInt(i));
            } else {
                image.setRGB(i % w, i / w, value.applyAsInt(i));
            }
        }
        return image;
    }

    /** A palette image: entry k has colour value(k) (low 24 bits) and pixel i holds index value(i) & 0xFF. */
    private static BufferedImage palette(int w, int h, IntUnaryOperator value) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int k = 0; k < 256; k++) {
            int c = value.applyAsInt(k);
            r[k] = (byte) (c >> 16);
            g[k] = (byte) (c >> 8);
            b[k] = (byte) c;
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
        for (int i = 0; i < w * h; i++) {
            image.getRaster().setSample(i % w, i / w, 0, value.applyAsInt(i) & 0xFF);
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format, boolean progressive) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    // ---- checkpoints ---------------------------------------------------------------------------------------------

    /** A small checkpoint folder: weights, momentum, a counter and a flag, state.json, config.yaml. */
    private static Path checkpoint(Path dir, NDManager m) {
        NDArray w = m.arange(24f).reshape(2, 3, 4);
        NDArray v = m.ones(new Shape(5));
        v.setName("momentum");
        NDArray counter = m.create(new long[] {3, 1L << 40});
        counter.setName("bank.count");
        NDArray flags = m.create(new boolean[] {true, false});
        flags.setName("bank.valid");
        Checkpoints.save(dir, Map.of("net.w", w), new NDList(v), new NDList(counter, flags),
                new CheckpointState(7, 1, 0.5, 6, "test", Map.of()), "seed: 1\n");
        return dir;
    }

    /** model.safetensors replaced by the input, its checksum in state.json updated: the decoder itself is reached. */
    private static Fuzzer.Target safetensors(Path scratch, NDManager manager) throws IOException {
        Path dir = checkpoint(scratch.resolve("safetensors/last"), manager);
        Path model = dir.resolve(Checkpoints.MODEL);
        Path state = dir.resolve(Checkpoints.STATE);
        List<byte[]> seeds = List.of(Files.readAllBytes(model), Files.readAllBytes(dir.resolve(Checkpoints.METHOD)),
                Files.readAllBytes(dir.resolve(Checkpoints.OPTIMIZER)));
        String stateText = Files.readString(state);
        String sum = Checkpoints.sha256(model);
        return new Simple("checkpoint-safetensors", seeds, false, input -> {
            Files.write(model, input);
            Files.writeString(state, stateText.replace(sum, Checkpoints.sha256(model)));
            try (NDManager scope = manager.newSubManager()) {
                Checkpoints.load(dir, scope);
            }
        }, m -> m.contains(dir.toString()), 32 * MIB, 8);
    }

    private static Fuzzer.Target stateJson(Path scratch, NDManager manager) throws IOException {
        Path dir = checkpoint(scratch.resolve("state/last"), manager);
        Path state = dir.resolve(Checkpoints.STATE);
        return new Simple("checkpoint-state-json", List.of(Files.readAllBytes(state)), true, input -> {
            Files.write(state, input);
            try (NDManager scope = manager.newSubManager()) {
                Checkpoints.load(dir, scope);
            }
        }, m -> m.contains(dir.toString()), 64 * MIB, 256);
    }

    // ---- configs and lists ---------------------------------------------------------------------------------------

    private static Fuzzer.Target config(Path scratch) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : List.of("configs/demo.yaml", "configs/camvid.yaml")) {
            seeds.add(Files.readAllBytes(Path.of(name)));
        }
        seeds.add(("train: {iterations: 20, lr: 0.01}\nmethod:\n  name: classmix\ndata:\n  labeled: 1/8\n"
                + "eval: {scales: [0.75, 1, 1.25], flip: true}\n").getBytes(StandardCharsets.UTF_8));
        Path file = scratch.resolve("config.yaml");
        // a config error names the file, or the key at fault (train.lr, 'method.name', ...)
        Predicate<String> names = m -> m.contains(file.toString()) || m.matches(".*[a-z_]+\\.[a-z_.\\[\\]0-9-]+.*")
                || m.contains("key");
        return new Simple("config", seeds, true, input -> ConfigLoader.load(Files.write(file, input), List.of()),
                names, 64 * MIB, 1024);
    }

    private static Fuzzer.Target datasetSpec(Path scratch) throws IOException {
        Path root = Files.createDirectories(scratch.resolve("folder"));
        Files.createDirectories(root.resolve("images/train"));
        Files.createDirectories(root.resolve("masks/train"));
        Files.createDirectories(root.resolve("unlabeled"));
        List<byte[]> seeds = List.of(("name: lesions\nclasses: [background, lesion, vessel]\nmask_format: index\n"
                        + "values: {0: 0, 128: vessel, 255: 1}\nignore_values: [254]\n"
                        + "colors: {background: [0, 0, 0], lesion: [255, 0, 0], vessel: [0, 0, 255]}\n"
                        + "splits:\n  train: {images: images/train, masks: masks/train}\n  extra: {images: unlabeled}\n"
                        + "train_split: train\nval_split: train\n").getBytes(StandardCharsets.UTF_8),
                ("classes: [sky, road]\nmask_format: rgb\ncolors: {sky: [0, 0, 255], road: [128, 64, 128]}\n"
                        + "ignore_colors: [[0, 0, 0]]\nsplits:\n  train: {images: images/train, masks: masks/train}\n")
                        .getBytes(StandardCharsets.UTF_8),
                // issue 22's forms: files named by patterns, splits as id lists (a text file, inline, a JSON mapping)
                ("classes: [background, lesion]\nimages: {dir: rgb, pattern: \"{id}_rgb.png\"}\n"
                        + "masks: {dir: gt, pattern: \"{id}_label.png\"}\nsplits:\n  train: {ids: train.txt}\n"
                        + "  test: {ids: [\"0002\", \"0003\"]}\n").getBytes(StandardCharsets.UTF_8),
                ("classes: [a, b]\nimages: {dir: rgb, pattern: \"{id}_rgb.png\"}\nmasks: {dir: gt, pattern: \"{id}_label.png\"}\n"
                        + "splits: splits.json\n").getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(root.resolve("rgb"));
        Files.createDirectories(root.resolve("gt"));
        Files.writeString(root.resolve("train.txt"), "# official list\n0001\n0002 extra field\n");
        Files.writeString(root.resolve("splits.json"), "{\"train\": [\"0001\", \"0002\"],\n \"test\": [\"0003\"]}\n");
        Path file = root.resolve("dataset.yaml");
        return new Simple("dataset-yaml", seeds, true, input -> new FolderLayout(root, Files.write(file, input)),
                m -> m.contains(file.toString()), 64 * MIB, 1024);
    }

    private static Fuzzer.Target splitFiles(Path scratch) throws IOException {
        Path root = Files.createDirectories(scratch.resolve("camvid"));
        List<FilePair> train = new ArrayList<>();
        for (String split : List.of("train", "trainannot")) {
            Files.createDirectories(root.resolve(split));
        }
        byte[] png = encode(pattern(4, 4, BufferedImage.TYPE_BYTE_GRAY, v -> v % 11), "png", false);
        StringBuilder labeled = new StringBuilder("# labeled images\n");
        StringBuilder unlabeled = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            String name = String.format("seq_%03d.png", i);
            Files.write(root.resolve("train/" + name), png);
            Files.write(root.resolve("trainannot/" + name), png);
            train.add(new FilePair("train/" + name, "trainannot/" + name));
            (i < 3 ? labeled : unlabeled).append("train/").append(name).append(i == 1 ? "" : " trainannot/" + name)
                    .append('\n');
        }
        DatasetLayout layout = new CamVidLayout(root);
        Path dir = Files.createDirectories(scratch.resolve("split"));
        Files.writeString(dir.resolve(SplitFiles.UNLABELED), unlabeled);
        List<byte[]> seeds = List.of(labeled.toString().getBytes(StandardCharsets.UTF_8),
                ("/SegNet/CamVid/train/seq_000.png /SegNet/CamVid/trainannot/seq_000.png\r\n"
                        + "train\\seq_004.png\n").getBytes(StandardCharsets.UTF_8));
        return new Simple("split-files", seeds, true, input -> {
            Files.write(dir.resolve(SplitFiles.LABELED), input);
            SplitFiles.read(dir, layout, train);
        }, m -> m.contains(dir.toString()), 64 * MIB, 1024);
    }

    /** A folder dataset's tags CSV (issue 21): read and resolved; every problem one line without control characters. */
    private static Fuzzer.Target tagsCsv(Path scratch) throws IOException {
        Path root = Files.createDirectories(scratch.resolve("tags"));
        List<String> images = List.of("photos/a.jpg", "photos/b.jpg", "field/b.jpg");
        List<byte[]> seeds = List.of(("image,tags\n# comment\nphotos/a.jpg,leaf;spot\n\"b.jpg\",\"leaf\"\na,\n")
                .getBytes(StandardCharsets.UTF_8), "\uFEFFphotos/b.jpg,spot\nnowhere,cat\n".getBytes(StandardCharsets.UTF_8));
        Path file = root.resolve("tags.csv");
        return new Simple("tags-csv", seeds, true, input -> {
            Files.write(file, input);
            TagFile.Resolved r = TagFile.resolve(TagFile.read(root, "tags.csv", List.of("background", "leaf", "spot")),
                    images, root);
            for (Problem p : r.problems()) {
                if (p.toString().chars().anyMatch(Character::isISOControl)) {
                    throw new IllegalStateException("a problem with control characters: " + p.toString().replace('\n', ' '));
                }
            }
        }, m -> m.contains(file.toString()), 64 * MIB, 1024);
    }

    /** The index of a folder of pseudo-masks ({@code data.pseudo_masks}, issue 21). */
    private static Fuzzer.Target pseudoMasksJson(Path scratch) throws IOException {
        Path dir = Files.createDirectories(scratch.resolve("pseudo-masks"));
        Files.createDirectories(dir.resolve(PseudoMasks.MASKS));
        Files.write(dir.resolve("masks/000000.png"), encode(pattern(4, 4, BufferedImage.TYPE_BYTE_GRAY, v -> v % 2), "png", false));
        List<byte[]> seeds = List.of(("{\n  \"version\" : 1,\n  \"classes\" : [ \"a\", \"b\" ],\n  \"ignore_index\" : 255,\n"
                + "  \"images\" : [ {\n    \"id\" : \"train-00003\",\n    \"mask\" : \"masks/000000.png\",\n"
                + "    \"tags\" : [ \"b\" ]\n  } ]\n}").getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve(PseudoMasks.INDEX);
        return new Simple("pseudo-masks-json", seeds, true, input -> {
            Files.write(file, input);
            PseudoMasks masks = PseudoMasks.read(dir, List.of("a", "b"));
            for (String id : masks.ids()) {
                masks.load(id, 4, 4, 255);
            }
        }, m -> m.contains(dir.toString()), 64 * MIB, 1024);
    }
}
