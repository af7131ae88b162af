package org.semiseg.cli;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.io.Checkpoints;
import org.semiseg.train.TrainerTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real full disk: a run trains in a 48 MiB tmpfs (mounted in a private mount namespace with {@code unshare -Urm}, so
 * no root is needed where user namespaces are allowed, and nothing is left mounted); once its first checkpoint is
 * written, another job fills the file system to the last byte. The run must stop with exit 4 and one line, leave
 * {@code checkpoints/last} loadable and no half-written copy, and {@code --resume} must finish once the filler is
 * deleted. Skipped, with the reason, where the namespace or the mount cannot be made.
 */
class TmpfsDiskFullTest {
    @TempDir
    Path dir;

    private static final String SCRIPT = """
            set -u
            java="$1"; cp="$2"; mnt="$3"; out="$4"; shift 4
            mount -t tmpfs -o size=48m semiseg-test "$mnt" || exit 90
            run="$mnt/run"
            semiseg() { "$java" -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "$cp" org.semiseg.cli.Main "$@"; }
            semiseg train --out "$run" "$@" > "$out/first.out" 2> "$out/first.err" &
            pid=$!
            for i in $(seq 1200); do
              [ -f "$run/checkpoints/last/state.json" ] && break
              kill -0 "$pid" 2>/dev/null || break
              sleep 0.1
            done
            dd if=/dev/zero of="$mnt/filler" bs=1M 2> "$out/dd.err"   # to the last byte: "No space left on device"
            wait "$pid"; echo $? > "$out/first.rc"
            cp -a "$run" "$out/after-failure"
            rm -f "$mnt/filler"
            iter=$(sed -n 's/.*"iteration" : \\([0-9]*\\).*/\\1/p' "$run/checkpoints/last/state.json")
            semiseg train --resume --out "$run" --set train.iterations=$((iter + 2)) > "$out/second.out" 2> "$out/second.err"
            echo $? > "$out/second.rc"
            cp -a "$run" "$out/resumed"
            """;

    @Test
    void aRunWhoseFileSystemFillsStopsAndResumesOnceThereIsRoom() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("mnt"));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "no unshare(1) here");
        Process probe = new ProcessBuilder("unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=1m probe " + mount)
                .redirectErrorStream(true).start();
        String why = new String(probe.getInputStream().readAllBytes()).strip();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "cannot mount a tmpfs in a user namespace here: " + why);

        Path script = Files.writeString(dir.resolve("fill.sh"), SCRIPT);
        Path out = Files.createDirectories(dir.resolve("out"));
        List<String> command = new ArrayList<>(List.of("unshare", "-Urm", "bash", script.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"), mount.toString(), out.toString()));
        for (String s : TrainerTest.TINY) {
            if (!s.startsWith("train.iterations") && !s.startsWith("train.checkpoint_every")
                    && !s.startsWith("train.eval_every")) {
                command.addAll(List.of("--set", s));
            }
        }
        // long enough that the fill lands mid-run; a checkpoint after every step, no evaluation before the end
        command.addAll(List.of("--set", "train.iterations=1000", "--set", "train.checkpoint_every=1",
                "--set", "train.eval_every=0"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("script.log").toFile())
                .start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the full-disk script did not end within 300 s: " + log(out));
        }
        assertEquals(0, p.exitValue(), log(out));

        assertEquals("4", read(out.resolve("first.rc")), log(out));
        String[] lines = read(out.resolve("first.err")).split("\n");
        String error = lines[lines.length - 1];
        System.out.println("tmpfs full-disk run: " + error);
        assertTrue(error.startsWith("semiseg: error: no space left on device: cannot write "), error);
        assertTrue(error.contains(" holds iteration ") && error.endsWith("then continue with --resume"), error);
        assertFalse(read(out.resolve("first.err")).contains("\tat "), "no stack trace");

        Path failed = out.resolve("after-failure");
        assertFalse(Files.exists(failed.resolve("checkpoints/.last.tmp")), "the half-written copy is removed");
        int kept;
        try (NDManager m = NDManager.newBaseManager()) {
            kept = Checkpoints.load(failed.resolve("checkpoints/last"), m).state().iteration();
            assertTrue(error.contains("holds iteration " + kept + ";"), error + " vs checkpoint at " + kept);
            assertTrue(kept >= 1);

            assertEquals("0", read(out.resolve("second.rc")), log(out));
            assertEquals(kept + 2, Checkpoints.load(out.resolve("resumed/checkpoints/last"), m).state().iteration());
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).strip();
    }

    /** Everything the script and the two runs printed, for a failure's message. */
    private String log(Path out) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Path f : List.of(dir.resolve("script.log"), out.resolve("dd.err"), out.resolve("first.err"),
                out.resolve("second.err"))) {
            if (Files.exists(f)) {
                text.append("\n--- ").append(f.getFileName()).append('\n').append(Files.readAllLines(f).stream()
                        .filter(l -> !l.contains("NNPACK")).collect(Collectors.joining("\n")));
            }
        }
        return text.toString();
    }
}
