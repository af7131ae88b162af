package org.semiseg.train;

import org.semiseg.SemisegException;
import org.semiseg.io.FolderLock;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A run's output folder: {@code config.yaml}, {@code metrics.jsonl}, {@code eval.json}, {@code checkpoints/}. Nothing
 * in an existing folder is touched until every check of a start has passed. A process that writes the folder holds
 * its {@link FolderLock} ({@value FolderLock#FILE}), which is not part of the run.
 */
public record RunDirectory(Path root) {
    public Path config() {
        return root.resolve("config.yaml");
    }

    /** {@code split/}: the run's labeled.txt and unlabeled.txt (file datasets only). */
    public Path split() {
        return root.resolve("split");
    }

    public Path metrics() {
        return root.resolve("metrics.jsonl");
    }

    public Path evalJson() {
        return root.resolve("eval.json");
    }

    /** {@code eval-<domain>.json}: a domain's final validation result in a run on several domains. */
    public Path evalJson(String domain) {
        return root.resolve("eval-" + domain + ".json");
    }

    public Path checkpoint(String name) {
        return root.resolve("checkpoints").resolve(name);
    }

    public Path last() {
        return checkpoint("last");
    }

    public Path best() {
        return checkpoint("best");
    }

    /**
     * Locks the folder for this process (creating it when needed).
     *
     * @throws FolderLock.Busy if another process writes it
     */
    public FolderLock lock() {
        return FolderLock.acquire(root, "run folder");
    }

    /** Whether the folder already holds a run (anything at all in it but the lock file). */
    public boolean holdsRun() {
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.anyMatch(p -> !FolderLock.isLockFile(p));
        } catch (IOException e) {
            return true;
        }
    }

    /** Creates the folder if needed and proves it writable with room for {@code neededBytes}; changes nothing else. */
    public void checkWritable(long neededBytes) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new SemisegException("output folder " + root + " cannot be created: " + e.getMessage());
        }
        Path probe = root.resolve(".write-test");
        try {
            Files.writeString(probe, "ok");
            Files.delete(probe);
            FileStore store = Files.getFileStore(root);
            if (store.getUsableSpace() < neededBytes) {
                throw new SemisegException("output folder " + root + " has " + store.getUsableSpace() / (1 << 20)
                        + " MiB free but a checkpoint needs about " + neededBytes / (1 << 20) + " MiB");
            }
        } catch (IOException e) {
            throw new SemisegException("output folder " + root + " is not writable: " + e.getMessage());
        }
    }

    /**
     * Empties the folder (for {@code --force}) but for its lock file, which the caller holds; call only once the new
     * run has passed every check.
     */
    public void clear() {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(root) && !(FolderLock.isLockFile(p) && p.getParent().equals(root))) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new SemisegException("cannot clear output folder " + root + ": " + e.getMessage());
        }
    }
}
