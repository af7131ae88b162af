package org.semiseg.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.semiseg.io.Checkpoints;
import org.semiseg.io.FileWrites;
import org.semiseg.io.LockHolder;
import org.semiseg.io.Images;
import org.semiseg.train.TrainerTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalogue of broken input (issue 5; issue 25 added a folder held by another process, a full disk and what
 * fuzzing found): configs, data, checkpoints and command lines. Each case must end with a
 * non-zero exit and exactly one line on stderr that names the file or key at fault, without a stack trace, and must
 * leave every existing run directory byte for byte as it was (most cases aim at a finished run with --force or
 * --resume).
 */
class BadInputCatalogueTest {
    @TempDir
    static Path dir;
    /** A finished demo run that no case may change. */
    static Path existing;
    /** A good CamVid-layout dataset; data cases damage copies of it. */
    static Path dataset;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;
    private PrintStream savedOut;

    /** What a case runs, the words its error must contain, and the folders it must leave as they were. */
    record Expect(String[] args, List<String> named, List<Path> untouched) {
    }

    interface Case {
        Expect build(Path scratch) throws IOException;
    }

    @BeforeAll
    static void finishedRunAndDataset() throws IOException {
        existing = dir.resolve("existing");
        List<String> args = new ArrayList<>(List.of("train", "--out", existing.toString()));
        for (String s : TrainerTest.TINY) {
            args.addAll(List.of("--set", s));
        }
        PrintStream savedErr = System.err;
        PrintStream savedOut = System.out;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream()));
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, Main.execute(args.toArray(String[]::new)));
        } finally {
            System.setErr(savedErr);
            System.setOut(savedOut);
        }
        dataset = dir.resolve("camvid");
        DataCliTest.writeCamVidSplit(dataset, "train", 8);
        DataCliTest.writeCamVidSplit(dataset, "val", 2);
        DataCliTest.writeCamVidSplit(dataset, "test", 2);
    }

    @BeforeEach
    void capture() {
        savedErr = System.err;
        savedOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws InterruptedException {
        System.setErr(savedErr);
        System.setOut(savedOut);
        FileWrites.simulateFullDisk(null, 0);
        for (Process p : HOLDERS) {
            LockHolder.kill(p);
        }
        HOLDERS.clear();
    }

    /** Second processes a case started to hold a folder's lock; killed after the case. */
    private static final List<Process> HOLDERS = new ArrayList<>();

    /** Starts another process that holds {@code folder}'s lock until the case ends. */
    private static Process holding(Path folder) throws IOException {
        try {
            Process p = LockHolder.start(folder);
            HOLDERS.add(p);
            return p;
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsOneLineAndChangesNothing(String name, Case c) throws IOException {
        Path scratch = Files.createDirectories(dir.resolve("case-" + name.replaceAll("[^a-z0-9]+", "-")));
        Expect e = c.build(scratch);
        List<Path> guarded = new ArrayList<>(e.untouched());
        guarded.add(existing);
        List<Map<String, String>> before = new ArrayList<>();
        for (Path p : guarded) {
            before.add(snapshot(p));
        }
        int status = Main.execute(e.args());
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertNotEquals(0, status, "exit status; stderr: " + text);
        assertFalse(text.isEmpty(), "an error message is expected");
        assertFalse(text.contains("\n"), "one line expected, got:\n" + text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), text);
        for (String w : e.named()) {
            assertTrue(text.contains(w), "'" + w + "' not named in: " + text);
        }
        for (int i = 0; i < guarded.size(); i++) {
            assertEquals(before.get(i), snapshot(guarded.get(i)), guarded.get(i) + " was changed");
        }
        // -Dcatalogue.out=FILE collects "case | exit | message" lines (for the closing note's table)
        String report = System.getProperty("catalogue.out");
        if (report != null) {
            Files.writeString(Path.of(report), name + " | " + status + " | " + text.replace(dir.toString(), "<tmp>") + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    // ---- building blocks -------------------------------------------------------------------------------------

    /** {@code train --out existing --force} on the tiny demo with extra arguments. */
    private static String[] demoOverExisting(String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--out", existing.toString(), "--force"));
        for (String s : TrainerTest.TINY) {
            args.addAll(List.of("--set", s));
        }
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** {@code train --out existing --force} on a copy of the dataset that {@code damage} breaks. */
    private static String[] filesOverExisting(Path scratch, IoAction damage, String... extra) throws IOException {
        Path copy = copyTree(dataset, scratch.resolve("camvid"));
        damage.run(copy);
        List<String> args = new ArrayList<>(List.of("train", "--out", existing.toString(), "--force",
                "--set", "data.root=" + copy));
        for (String s : DataCliTest.TINY_FILES) {
            args.addAll(List.of("--set", s));
        }
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** A copy of the finished run with {@code damage} applied. */
    private static Path damagedRun(Path scratch, IoAction damage) throws IOException {
        Path copy = copyTree(existing, scratch.resolve("run"));
        damage.run(copy);
        return copy;
    }

    interface IoAction {
        void run(Path p) throws IOException;
    }

    private static Expect expect(String[] args, String... named) {
        return new Expect(args, List.of(named), List.of());
    }

    private static Arguments of(String name, Case c) {
        return Arguments.of(name, c);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // ---- configs
                of("config: unknown key", s -> expect(demoOverExisting("--set", "train.iteratons=5"), "train.iteratons")),
                of("config: wrong type", s -> expect(demoOverExisting("--set", "train.lr=fast"), "train.lr")),
                of("config: negative learning rate", s -> expect(demoOverExisting("--set", "train.lr=-0.1"), "train.lr")),
                of("config: zero batch size", s -> expect(demoOverExisting("--set", "train.batch_size=0"), "train.batch_size")),
                of("config: unknown method", s -> expect(demoOverExisting("--set", "method.name=supervized"), "method.name", "supervized")),
                of("config: labeled share above one", s -> expect(demoOverExisting("--set", "data.labeled=3/2"), "data.labeled")),
                of("config: EMA decay above one", s -> expect(demoOverExisting("--set", "method.ema=[1.5, 1.0]"), "method.ema")),
                of("config: unknown backbone", s -> expect(demoOverExisting("--set", "model.backbone=resnet12"), "model.backbone")),
                of("config: missing file", s -> expect(new String[] {"train", "--config", s.resolve("nope.yaml").toString()}, "nope.yaml")),
                of("config: malformed YAML", s -> {
                    Path bad = Files.writeString(s.resolve("bad.yaml"), "train: {iterations: [\n");
                    return expect(new String[] {"train", "--config", bad.toString(), "--out", existing.toString(), "--force"}, "bad.yaml");
                }),
                of("config: missing dataset root", s -> expect(demoOverExisting("--set", "data.dataset=camvid",
                        "--set", "data.root=" + s.resolve("nowhere")), "nowhere")),
                of("config: missing pretrained weights", s -> expect(demoOverExisting("--set",
                        "model.pretrained=" + s.resolve("none.safetensors")), "none.safetensors")),
                of("config: a single domain", s -> expect(demoOverExisting("--set", "data.domains=[{name: a}]"),
                        "data.domains", "at least 2")),
                of("config: a domain's bad labeled share", s -> expect(demoOverExisting("--set",
                        "data.domains=[{name: a}, {name: b, labeled: 3/2}]"), "data.domains[1].labeled")),
                of("config: a teacher method with domains", s -> expect(demoOverExisting("--set", "method.name=u2pl",
                        "--set", "data.domains=[{name: a}, {name: b}]"), "method.name", "u2pl")),
                of("cli: --domain on a one-dataset run", s -> new Expect(new String[] {"evaluate", "--run",
                        existing.toString(), "--domain", "shapes", "--out", s.toString()},
                        List.of("--domain shapes", "one dataset"), List.of(existing))),
                // ---- data
                of("data: corrupt image", s -> expect(filesOverExisting(s, d -> Files.write(d.resolve("train/seq_002.png"),
                        new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3})), "train/seq_002.png")),
                of("data: empty image file", s -> expect(filesOverExisting(s, d -> Files.write(d.resolve("train/seq_003.png"),
                        new byte[0])), "train/seq_003.png")),
                of("data: mask of another size", s -> expect(filesOverExisting(s, d -> Images.writeLabelPng(
                        d.resolve("valannot/seq_001.png"), new int[64], 8, 8)), "valannot/seq_001.png")),
                of("data: out-of-range mask value", s -> expect(filesOverExisting(s, d -> {
                    int[] mask = new int[256];
                    mask[17] = 40;
                    Images.writeLabelPng(d.resolve("valannot/seq_000.png"), mask, 16, 16);
                }, "--set", "data.check=full"), "valannot/seq_000.png", "40")),
                of("data: missing mask", s -> expect(filesOverExisting(s, d -> Files.delete(d.resolve("trainannot/seq_005.png"))),
                        "seq_005.png")),
                of("data: split file names a missing image", s -> {
                    Path splits = Files.createDirectories(s.resolve("splits"));
                    Files.writeString(splits.resolve("labeled.txt"), "train/seq_000.png trainannot/seq_000.png\n"
                            + "train/ghost.png trainannot/ghost.png\n");
                    return expect(filesOverExisting(s, d -> { }, "--set", "data.split_dir=" + splits), "ghost.png");
                }),
                of("data: folder dataset without classes", s -> {
                    Path folder = Files.createDirectories(s.resolve("folder"));
                    Files.writeString(folder.resolve("dataset.yaml"), "splits:\n  train: {images: images}\n");
                    return expect(demoOverExisting("--set", "data.dataset=folder", "--set", "data.root=" + folder),
                            "dataset.yaml", "classes");
                }),
                // ---- checkpoints (on damaged copies, which must stay as they are too)
                of("checkpoint: truncated weights", s -> {
                    Path run = damagedRun(s, r -> {
                        Path w = r.resolve("checkpoints/last/model.safetensors");
                        byte[] b = Files.readAllBytes(w);
                        Files.write(w, java.util.Arrays.copyOf(b, b.length / 2));
                    });
                    return new Expect(new String[] {"train", "--resume", "--out", run.toString(), "--set", "train.iterations=9"},
                            List.of("model.safetensors"), List.of(run));
                }),
                of("checkpoint: bad checksum", s -> {
                    Path run = damagedRun(s, r -> {
                        Path w = r.resolve("checkpoints/best/optimizer.safetensors");
                        byte[] b = Files.readAllBytes(w);
                        b[b.length - 1] ^= 1;
                        Files.write(w, b);
                    });
                    return new Expect(new String[] {"evaluate", "--run", run.toString()},
                            List.of("optimizer.safetensors", "checksum"), List.of(run));
                }),
                of("checkpoint: unreadable state.json", s -> {
                    Path run = damagedRun(s, r -> Files.writeString(r.resolve("checkpoints/last/state.json"), "{ not json"));
                    return new Expect(new String[] {"train", "--resume", "--out", run.toString(), "--set", "train.iterations=9"},
                            List.of("state.json"), List.of(run));
                }),
                of("checkpoint: another model's", s -> expect(new String[] {"evaluate", "--run", existing.toString(),
                        "--set", "model.width=0.25"}, "different model")),
                of("checkpoint: resume without one", s -> {
                    Path run = damagedRun(s, r -> deleteTree(r.resolve("checkpoints")));
                    return new Expect(new String[] {"train", "--resume", "--out", run.toString(), "--set", "train.iterations=9"},
                            List.of("checkpoints"), List.of(run));
                }),
                // ---- command lines and folders
                of("run: existing run without --resume or --force", s -> {
                    List<String> args = new ArrayList<>(List.of(demoOverExisting()));
                    args.remove("--force");
                    return expect(args.toArray(String[]::new), existing.toString(), "--resume");
                }),
                of("run: --resume with --config", s -> expect(new String[] {"train", "--resume", "--out", existing.toString(),
                        "--config", s.resolve("x.yaml").toString()}, "--resume")),
                of("run: output folder is a file", s -> {
                    Path file = Files.writeString(s.resolve("plain-file"), "x");
                    List<String> args = new ArrayList<>(List.of(demoOverExisting()));
                    args.set(2, file.resolve("run").toString());
                    args.remove("--force");
                    return expect(args.toArray(String[]::new), "plain-file");
                }),
                of("predict: missing input folder", s -> expect(new String[] {"predict", "--run", existing.toString(),
                        "--input", s.resolve("no-images").toString(), "--output", s.resolve("out").toString()}, "no-images")),
                // ---- issue 25: one process per folder, a full disk, what fuzzing found
                of("run: folder in use by another process", s -> {
                    Process holder = holding(existing);
                    return expect(new String[] {"train", "--resume", "--out", existing.toString(), "--set",
                            "train.iterations=9"}, "run folder " + existing, "in use", "pid " + holder.pid());
                }),
                of("bench: grid started twice", s -> {
                    Path grid = s.resolve("grid");
                    Path file = Files.writeString(s.resolve("grid.yaml"), "name: twice\nout: " + grid + "\nseeds: [1]\n"
                            + "test_split: val\ngroups:\n  - methods: [supervised]\n    ratios: [\"1/2\"]\n");
                    Process holder = holding(grid);
                    return expect(new String[] {"bench", file.toString()}, "grid folder " + grid, "pid " + holder.pid());
                }),
                of("disk: full when a run starts", s -> {
                    Path run = damagedRun(s, r -> { });
                    FileWrites.simulateFullDisk(p -> p.getFileName().toString().startsWith(".config.yaml."), 10);
                    return new Expect(new String[] {"train", "--resume", "--out", run.toString(), "--set",
                            "train.iterations=9"}, List.of("no space left on device", "config.yaml"), List.of(run));
                }),
                of("checkpoint: safetensors header claims a huge tensor", s -> {
                    Path run = damagedRun(s, r -> {
                        Path best = r.resolve("checkpoints/best");
                        Path model = best.resolve(Checkpoints.MODEL);
                        String before = Checkpoints.sha256(model);
                        byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1099511627776],\"data_offsets\":[0,4398046511104]}}"
                                .getBytes(StandardCharsets.UTF_8);
                        Files.write(model, java.nio.ByteBuffer.allocate(8 + header.length + 16)
                                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header).array());
                        Path state = best.resolve(Checkpoints.STATE);
                        Files.writeString(state, Files.readString(state).replace(before, Checkpoints.sha256(model)));
                    });
                    return new Expect(new String[] {"evaluate", "--run", run.toString(), "--out", s.toString()},
                            List.of("model.safetensors", "outside the file"), List.of(run));
                }),
                of("checkpoint: state.json with a negative iteration", s -> {
                    Path run = damagedRun(s, r -> {
                        Path state = r.resolve("checkpoints/last/state.json");
                        Files.writeString(state, Files.readString(state).replaceFirst("\"iteration\" : \\d+",
                                "\"iteration\" : -6"));
                    });
                    return new Expect(new String[] {"train", "--resume", "--out", run.toString(), "--set", "train.iterations=9"},
                            List.of("state.json", "iteration -6"), List.of(run));
                }),
                of("data: image header claiming 20000x20000 pixels", s -> expect(filesOverExisting(s, d -> {
                    Path png = d.resolve("train/seq_004.png");
                    byte[] b = Files.readAllBytes(png);
                    java.nio.ByteBuffer.wrap(b, 16, 8).putInt(20000).putInt(20000);
                    Files.write(png, b);
                }, "--set", "data.check=full"), "train/seq_004.png", "20000x20000")),
                of("data: split file with a NUL in a path", s -> {
                    Path splits = Files.createDirectories(s.resolve("splits"));
                    Files.writeString(splits.resolve("labeled.txt"), "train/seq\u0000000.png trainannot/seq_000.png\n");
                    return expect(filesOverExisting(s, d -> { }, "--set", "data.split_dir=" + splits),
                            "labeled.txt line 1", "control characters");
                }),
                of("data: split file names an image outside the dataset's folders", s -> {
                    Path splits = Files.createDirectories(s.resolve("splits"));
                    Files.writeString(splits.resolve("labeled.txt"), "train/seq_000.png trainannot/seq_000.png\n"
                            + "elsewhere/seq_001.png\n");
                    return expect(filesOverExisting(s, d -> { }, "--set", "data.split_dir=" + splits),
                            "labeled.txt line 2", "elsewhere/seq_001.png");
                }),
                of("data: dataset.yaml is one block string", s -> {
                    Path folder = Files.createDirectories(s.resolve("folder"));
                    Files.writeString(folder.resolve("dataset.yaml"), "|\n  classes: [a, b]\n  splits: {}\n");
                    return expect(demoOverExisting("--set", "data.dataset=folder", "--set", "data.root=" + folder),
                            "dataset.yaml", "the string 'classes: [a, b] splits: {}'");
                }),
                of("data: dataset.yaml names a folder with a NUL", s -> {
                    Path folder = Files.createDirectories(s.resolve("folder"));
                    Files.writeString(folder.resolve("dataset.yaml"), "classes: [a, b]\nimages: {dir: \"rg\\0b\", pattern: \"{id}.png\"}\n"
                            + "masks: {dir: gt, pattern: \"{id}.png\"}\nsplits:\n  train: {ids: train.txt}\n");
                    return expect(demoOverExisting("--set", "data.dataset=folder", "--set", "data.root=" + folder),
                            "dataset.yaml", "images.dir", "control characters", "'rg?b'");
                }),
                of("data: an id list with a control character", s -> {
                    Path folder = Files.createDirectories(s.resolve("folder"));
                    Files.writeString(folder.resolve("dataset.yaml"), "classes: [a, b]\nimages: {dir: rgb, pattern: \"{id}.png\"}\n"
                            + "masks: {dir: gt, pattern: \"{id}.png\"}\nsplits:\n  train: {ids: train.txt}\n");
                    Files.writeString(folder.resolve("train.txt"), "0001\n00\u00002\n");
                    return expect(demoOverExisting("--set", "data.dataset=folder", "--set", "data.root=" + folder),
                            "train.txt line 2", "'00?2'", "control characters");
                })
        );
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Checkpoints.sha256(p));
            }
        }
        return files;
    }
}
