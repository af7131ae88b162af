package org.semiseg.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.semiseg.SemisegException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A checkpoint folder opened for reading: every file open, its checksum verified, {@code state.json} and
 * {@code config.yaml} read. The tensors are decoded later from the same open files, so a trainer that replaces the
 * folder meanwhile (it renames a complete new folder into place) changes nothing of what this snapshot reads: a
 * reader never sees a torn checkpoint. Opening retries when the folder was replaced while its files were being
 * opened; a checkpoint that is damaged without being replaced fails at once.
 */
public final class CheckpointSnapshot implements AutoCloseable {
    /** Largest {@code state.json} and {@code config.yaml} read (they are a few KiB). */
    static final long MAX_TEXT = 16L << 20;
    private static final int ATTEMPTS = 20;
    /** Looks at a checkpoint folder that seems absent before calling it missing (a replace may be under way). */
    private static final int MISSING_LOOKS = 3;
    private static final List<String> FILES = List.of(Checkpoints.MODEL, Checkpoints.OPTIMIZER, Checkpoints.METHOD,
            Checkpoints.CONFIG);

    private final Path dir;
    private final CheckpointState state;
    private final String configYaml;
    private final Map<String, FileChannel> channels;

    private CheckpointSnapshot(Path dir, CheckpointState state, String configYaml, Map<String, FileChannel> channels) {
        this.dir = dir;
        this.state = state;
        this.configYaml = configYaml;
        this.channels = channels;
    }

    /**
     * Opens {@code dir}, or the copy kept during an interrupted write ({@code .NAME.old}) when {@code dir} is absent.
     *
     * @throws SemisegException naming the file when the checkpoint is missing, incomplete or damaged
     */
    public static CheckpointSnapshot open(Path dir, Path oldCopy, ObjectMapper json) {
        for (int attempt = 1; ; attempt++) {
            List<Object> before = Arrays.asList(identity(dir), identity(oldCopy));
            Path source = Files.isDirectory(dir) ? dir : oldCopy;
            if (!Files.isDirectory(source)) {
                // a writer beside us may have moved dir to its old copy and removed that after we looked at dir: look
                // again before calling the checkpoint missing
                if (attempt >= MISSING_LOOKS) {
                    throw new SemisegException("checkpoint " + dir + " does not exist");
                }
                pause();
                continue;
            }
            try {
                return openOnce(source, json);
            } catch (SemisegException e) {
                boolean replaced = !before.equals(Arrays.asList(identity(dir), identity(oldCopy)));
                if (!replaced || attempt == ATTEMPTS) {
                    throw e;
                }
                pause();
            }
        }
    }

    /** The folder the files were read from ({@code dir} or its kept copy). */
    public Path dir() {
        return dir;
    }

    public CheckpointState state() {
        return state;
    }

    public String configYaml() {
        return configYaml;
    }

    /** Decodes the tensors into {@code manager}. */
    public Checkpoints.Loaded load(NDManager manager) {
        return new Checkpoints.Loaded(dir, arrays(Checkpoints.MODEL, manager), arrays(Checkpoints.OPTIMIZER, manager),
                arrays(Checkpoints.METHOD, manager), state, configYaml);
    }

    private Map<String, NDArray> arrays(String file, NDManager manager) {
        Path path = dir.resolve(file);
        try {
            return Safetensors.read(channels.get(file), manager);
        } catch (IOException e) {
            throw new SemisegException("checkpoint file " + path + " cannot be decoded as safetensors: "
                    + String.valueOf(e.getMessage()).replaceAll("\\p{Cntrl}", "?"));
        }
    }

    @Override
    public void close() {
        for (FileChannel c : channels.values()) {
            try {
                c.close();
            } catch (IOException e) {
                // read-only: nothing to lose
            }
        }
    }

    private static CheckpointSnapshot openOnce(Path source, ObjectMapper json) {
        Map<String, FileChannel> open = new LinkedHashMap<>();
        boolean done = false;
        try {
            CheckpointState state = state(channel(source, Checkpoints.STATE, open), source, json);
            Map<String, String> sums = state.files() == null ? Map.of() : state.files();
            for (String file : FILES) {
                String expected = sums.get(file);
                FileChannel c = expected == null ? null : channel(source, file, open);
                if (c == null) {
                    throw new SemisegException("checkpoint " + source + " is incomplete: " + file + " is missing");
                }
                if (!expected.equals(sha256(c, source.resolve(file)))) {
                    throw new SemisegException("checkpoint file " + source.resolve(file)
                            + " is damaged: its checksum does not match state.json");
                }
            }
            String config = new String(text(open.get(Checkpoints.CONFIG), source.resolve(Checkpoints.CONFIG)),
                    StandardCharsets.UTF_8);
            done = true;
            return new CheckpointSnapshot(source, state, config, open);
        } catch (IOException e) {
            throw new SemisegException("checkpoint " + source + " cannot be read: " + firstLine(e.getMessage()));
        } finally {
            if (!done) {
                new CheckpointSnapshot(source, null, null, open).close();
            }
        }
    }

    /**
     * Reads only {@code state.json} of {@code dir} (or of {@code oldCopy} when {@code dir} is absent), with the checks
     * of {@link #open} on its content but without verifying the other files (e.g. to show a run's iteration).
     */
    static CheckpointState readState(Path dir, Path oldCopy, ObjectMapper json) {
        Path source = Files.isDirectory(dir) ? dir : oldCopy;
        if (!Files.isDirectory(source)) {
            throw new SemisegException("checkpoint " + dir + " does not exist");
        }
        Map<String, FileChannel> open = new LinkedHashMap<>();
        try {
            return state(channel(source, Checkpoints.STATE, open), source, json);
        } catch (IOException e) {
            throw new SemisegException("checkpoint " + source + " cannot be read: " + firstLine(e.getMessage()));
        } finally {
            new CheckpointSnapshot(source, null, null, open).close();
        }
    }

    /** Parses and checks {@code state.json} from its open file. */
    private static CheckpointState state(FileChannel c, Path source, ObjectMapper json) throws IOException {
        CheckpointState state;
        try {
            state = json.readValue(text(c, source.resolve(Checkpoints.STATE)), CheckpointState.class);
        } catch (IOException e) {
            throw new SemisegException("checkpoint " + source + " is damaged: " + Checkpoints.STATE
                    + " cannot be read (" + Safetensors.abbreviate(firstLine(e.getMessage())) + ")");
        }
        String problem = state == null ? "it is empty" : state.problem();
        if (problem != null) {
            throw new SemisegException("checkpoint " + source + " is damaged: " + Checkpoints.STATE + " " + problem);
        }
        return state;
    }

    /** Opens {@code source/file} into {@code open}; null when it is not a regular file (state.json: an error). */
    private static FileChannel channel(Path source, String file, Map<String, FileChannel> open) throws IOException {
        Path path = source.resolve(file);
        FileChannel c = null;
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            try {
                c = FileChannel.open(path, StandardOpenOption.READ);
                open.put(file, c);
            } catch (NoSuchFileException e) {
                c = null;
            }
        }
        if (c == null && file.equals(Checkpoints.STATE)) {
            throw new SemisegException("checkpoint " + source + " is damaged: " + Checkpoints.STATE
                    + " cannot be read (it is missing)");
        }
        return c;
    }

    private static byte[] text(FileChannel c, Path path) throws IOException {
        long size = c.size();
        if (size > MAX_TEXT) {
            throw new IOException(path.getFileName() + " has " + size + " bytes, more than a checkpoint's text files hold");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        while (buffer.hasRemaining() && c.read(buffer, buffer.position()) >= 0) {
            // read on
        }
        return buffer.hasRemaining() ? java.util.Arrays.copyOf(buffer.array(), buffer.position()) : buffer.array();
    }

    private static String sha256(FileChannel c, Path path) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long position = 0;
            for (int n; (n = c.read(buf, position)) > 0; position += n) {
                buf.flip();
                digest.update(buf);
                buf.clear();
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The folder's identity on disk, null when absent: its device and inode (where the file system has them) and the
     * content of its {@code state.json}. The inode alone is not enough: a file system reuses the inode of a deleted
     * {@code .NAME.old} for the next checkpoint's folder at once (ext4 does so nearly every time), so a folder replaced
     * twice while it was being opened can look unchanged. {@code state.json} holds the checksum of every other file,
     * so a replacement with other files always changes it.
     */
    private static Object identity(Path dir) {
        Object folder;
        try {
            BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            folder = Objects.requireNonNullElse(a.fileKey(), a.creationTime());
        } catch (IOException e) {
            return null;
        }
        Object state;
        try (FileChannel c = FileChannel.open(dir.resolve(Checkpoints.STATE), StandardOpenOption.READ)) {
            state = c.size() > MAX_TEXT ? (Object) c.size() : ByteBuffer.wrap(text(c, dir.resolve(Checkpoints.STATE)));
        } catch (IOException e) {
            state = null;
        }
        return Arrays.asList(folder, state);
    }

    private static void pause() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SemisegException("interrupted while reading a checkpoint");
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown problem";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
