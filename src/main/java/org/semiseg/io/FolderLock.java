package org.semiseg.io;

import org.semiseg.SemisegException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One writing process per folder (a run folder, a grid folder): an exclusive OS-level lock on the folder's
 * {@value #FILE} file. The operating system releases it when the process ends in any way, SIGKILL included, so a
 * crash never leaves a stale lock; the file itself stays (empty) and is never deleted, since deleting a lock file
 * lets two processes lock two different files of the same name.
 *
 * <p>Nothing is written into the file: a process that finds the folder locked names the holder from the kernel's
 * lock table ({@code /proc/locks}), where that exists. Within one JVM the lock is re-entrant (a grid run holds its
 * run's lock while the trainer takes it again); {@link #close()} releases it when the last holder closes.
 *
 * <p>Readers ({@code evaluate}, {@code report}, {@code predict}) take no lock: checkpoints are replaced by renaming
 * complete folders, and {@link Checkpoints#load} never mixes two of them.
 */
public final class FolderLock implements AutoCloseable {
    /** The lock file's name inside the folder. */
    public static final String FILE = ".semiseg.lock";
    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path key;
    private boolean closed;

    private record Held(FileChannel channel, FileLock lock, int count) {
    }

    private FolderLock(Path key) {
        this.key = key;
    }

    /** Thrown when another process holds the folder: exit status 2, the folder untouched. */
    public static final class Busy extends SemisegException {
        public Busy(String message) {
            super(message);
        }
    }

    /**
     * Locks {@code folder}, creating the folder and its (empty) lock file when they do not exist.
     *
     * @param what how the folder is called in the message, e.g. "run folder"
     * @throws Busy if another process holds it; the message names the folder and the holder's pid
     * @throws SemisegException if the folder cannot be created or the lock file cannot be opened
     */
    public static FolderLock acquire(Path folder, String what) {
        Path key = folder.toAbsolutePath().normalize();
        synchronized (HELD) {
            Held held = HELD.get(key);
            if (held != null) {
                HELD.put(key, new Held(held.channel(), held.lock(), held.count() + 1));
                return new FolderLock(key);
            }
            try {
                Files.createDirectories(key);
            } catch (IOException e) {
                throw new SemisegException(what + " " + folder + " cannot be created: " + e.getMessage());
            }
            Path file = key.resolve(FILE);
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new SemisegException("cannot open the lock file " + file + ": " + e.getMessage());
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | OverlappingFileLockException e) {
                closeQuietly(channel);
                throw new SemisegException("cannot lock " + file + ": " + e.getMessage());
            }
            if (lock == null) {
                closeQuietly(channel);
                throw new Busy(what + " " + folder + " is in use by another semiseg process (" + holder(file)
                        + "); wait for it to end or stop it, then try again");
            }
            HELD.put(key, new Held(channel, lock, 1));
            return new FolderLock(key);
        }
    }

    /** Whether this JVM holds the lock of {@code folder}. */
    public static boolean heldHere(Path folder) {
        synchronized (HELD) {
            return HELD.containsKey(folder.toAbsolutePath().normalize());
        }
    }

    /** Releases this hold; the OS lock goes when the last hold in this JVM is released. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            Held held = HELD.get(key);
            if (held == null) {
                return;
            }
            if (held.count() > 1) {
                HELD.put(key, new Held(held.channel(), held.lock(), held.count() - 1));
                return;
            }
            HELD.remove(key);
            try {
                held.lock().release();
            } catch (IOException e) {
                // closing the channel below releases it too
            }
            closeQuietly(held.channel());
        }
    }

    /** "pid N" of the process holding a POSIX lock on {@code file}, from /proc/locks; a vaguer phrase elsewhere. */
    static String holder(Path file) {
        try {
            Object inode = Files.getAttribute(file, "unix:ino");
            List<String> locks = Files.readAllLines(Path.of("/proc/locks"));
            for (String line : locks) {
                // "1: POSIX  ADVISORY  WRITE 12345 00:2f:1234567 0 EOF"
                String[] f = line.trim().split("\\s+");
                if (f.length >= 6 && f[1].equals("POSIX") && f[5].endsWith(":" + inode)) {
                    return "pid " + f[4];
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            // no lock table here: fall through
        }
        return "its pid is not known on this system";
    }

    /** The lock file of {@code folder}: not part of a run, so listings of a run folder leave it out. */
    public static boolean isLockFile(Path path) {
        return path.getFileName() != null && path.getFileName().toString().equals(FILE);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing held
        }
    }
}
