package org.semiseg.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.semiseg.SemisegException;
import org.semiseg.model.WeightMatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checkpoint folders ({@code checkpoints/last}, {@code checkpoints/best}): {@code model.safetensors} (weights and BN
 * statistics under stable names), {@code optimizer.safetensors} (momentum buffers), {@code method.safetensors}
 * (method state such as a teacher), {@code state.json} (iteration, best score, SHA-256 of each file) and
 * {@code config.yaml}. A folder is written under a temporary name, synced, and renamed into place; the previous one is
 * kept as {@code .NAME.old} until the new one is complete, and loading falls back to it. A write that fails (a full
 * disk: {@link OutOfSpace}) removes its temporary folder and leaves the previous checkpoint as it was. Only the holder
 * of the run folder's {@link FolderLock} writes; readers take no lock and read through a {@link CheckpointSnapshot}.
 *
 * <p>Test hook: with the environment variable {@code SEMISEG_CHECKPOINT_PAUSE_MS} (or the system property
 * {@code semiseg.checkpoint.pause_ms}) set to a positive number of milliseconds, {@link #save} prints
 * {@code semiseg: checkpoint write paused (test hook): <phase> <folder>} to stderr and sleeps that long after the new
 * copy's files are written, between the two renames and before the previous copy is deleted, so that the crash check
 * ({@code bench/crash/run.sh}) can kill a run inside a write; see {@link CheckpointPause}. Unset, it does nothing.
 */
public final class Checkpoints {
    public static final String MODEL = "model.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String METHOD = "method.safetensors";
    public static final String STATE = "state.json";
    public static final String CONFIG = "config.yaml";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

    private Checkpoints() {
    }

    /** Arrays loaded from a checkpoint, by name, plus its state. Arrays belong to the manager passed to load. */
    public record Loaded(Path dir, Map<String, NDArray> weights, Map<String, NDArray> optimizer,
                         Map<String, NDArray> method, CheckpointState state, String configYaml) {
    }

    /** Writes {@code dir} atomically; the arrays' names are set to the map keys. */
    public static void save(Path dir, Map<String, NDArray> weights, NDList optimizer, NDList method,
                            CheckpointState state, String configYaml) {
        Path parent = dir.toAbsolutePath().getParent();
        String name = dir.getFileName().toString();
        Path tmp = parent.resolve("." + name + ".tmp");
        Path old = parent.resolve("." + name + ".old");
        try {
            Files.createDirectories(parent);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            NDList weightList = new NDList();
            weights.forEach((key, array) -> {
                array.setName(key);
                weightList.add(array);
            });
            Map<String, String> sums = new LinkedHashMap<>();
            sums.put(MODEL, writeArrays(tmp.resolve(MODEL), weightList));
            sums.put(OPTIMIZER, writeArrays(tmp.resolve(OPTIMIZER), optimizer));
            sums.put(METHOD, writeArrays(tmp.resolve(METHOD), method));
            sums.put(CONFIG, writeSynced(tmp.resolve(CONFIG), configYaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            writeSynced(tmp.resolve(STATE), JSON.writeValueAsBytes(state.withFiles(sums)));
            syncDirectory(tmp);
            CheckpointPause.at(CheckpointPause.Phase.FILES_WRITTEN, dir);
            // dir, when present, is complete (it only ever appears by renaming a complete tmp); without it, old may be
            // the only complete copy (a crash between the two renames below), so it stays until tmp is in place
            boolean replacing = Files.exists(dir);
            if (replacing) {
                deleteTree(old);
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
                CheckpointPause.at(CheckpointPause.Phase.BETWEEN_RENAMES, dir);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(parent);
            if (replacing) {
                CheckpointPause.at(CheckpointPause.Phase.RENAMED, dir);
            }
            deleteTree(old);
        } catch (IOException e) {
            OutOfSpace full = OutOfSpace.of(e, dir, "checkpoint ");
            // the previous checkpoint (dir, or old when the failure fell between the two renames) stays complete;
            // the half-written copy goes, so that a full disk gets its room back
            try {
                deleteTree(tmp);
            } catch (IOException ignored) {
                // a leftover .NAME.tmp is removed by the next write
            }
            if (full != null) {
                throw full;
            }
            throw new SemisegException("cannot write checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether a checkpoint (or the previous copy kept during a write) exists at {@code dir}. */
    public static boolean exists(Path dir) {
        return Files.isDirectory(dir) || Files.isDirectory(oldCopy(dir));
    }

    /**
     * Reads only {@code state.json} of {@code dir} (or of the copy kept during an interrupted write), e.g. to show
     * a run's iteration; its content is checked as {@link #open} checks it, the other files are not verified.
     */
    public static CheckpointState readState(Path dir) {
        return CheckpointSnapshot.readState(dir, oldCopy(dir), JSON);
    }

    /**
     * Loads {@code dir}, verifying every file's checksum; falls back to the copy kept during an interrupted write. A
     * writer replacing the folder meanwhile is never mixed in (see {@link CheckpointSnapshot}).
     */
    public static Loaded load(Path dir, NDManager manager) {
        try (CheckpointSnapshot snapshot = open(dir)) {
            return snapshot.load(manager);
        }
    }

    /** Opens {@code dir} for reading: checksums verified, state and config read, tensors decoded on demand. */
    public static CheckpointSnapshot open(Path dir) {
        return CheckpointSnapshot.open(dir, oldCopy(dir), JSON);
    }

    /**
     * Copies saved weights into the model's parameters. Every parameter must be present with its shape and no extra
     * names may be left over: otherwise the checkpoint belongs to another model and the message lists the mismatches.
     */
    public static void applyWeights(Map<String, Parameter> parameters, Map<String, NDArray> saved, Path source) {
        String mismatches = WeightMatch.mismatches(parameters, saved);
        if (!mismatches.isEmpty()) {
            throw new SemisegException("checkpoint " + source + " was written for a different model:" + mismatches);
        }
        for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
            p.getValue().getArray().set(new ai.djl.ndarray.index.NDIndex("..."), saved.get(p.getKey()));
        }
    }

    private static Path oldCopy(Path dir) {
        return dir.toAbsolutePath().getParent().resolve("." + dir.getFileName() + ".old");
    }

    private static String writeArrays(Path file, NDList arrays) throws IOException {
        try (OutputStream out = FileWrites.open(file)) {
            arrays.encode(out, NDList.Encoding.SAFETENSORS);
        }
        fsync(file);
        return sha256(file);
    }

    private static String writeSynced(Path file, byte[] bytes) throws IOException {
        FileWrites.write(file, bytes);
        fsync(file);
        return sha256(file);
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is still atomic there.
        }
    }

    /** SHA-256 of a file, in hex. */
    public static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    digest.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
