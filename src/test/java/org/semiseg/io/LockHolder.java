package org.semiseg.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A second process for the lock tests: {@code main} locks the folder given as its argument (as a trainer does),
 * prints {@code locked} and waits to be killed. {@link #start} runs it in a new JVM on the test class path.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        FolderLock.acquire(Path.of(args[0]), "run folder");
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Starts a JVM that holds {@code folder}'s lock; returns once it holds it (or fails the caller's test). */
    public static Process start(Path folder) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                folder.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"locked".equals(line)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("the lock holder did not start: " + line);
        }
        return p;
    }

    /** SIGKILL (on Unix), as a crash or `kill -9` would end a trainer; waits for the process to be gone. */
    public static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the lock holder " + p.pid() + " did not end");
        }
    }
}
