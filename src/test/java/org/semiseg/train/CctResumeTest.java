package org.semiseg.train;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.eval.EvalResult;
import org.semiseg.io.Checkpoints;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code cct} resumes exactly, on the DeepLab network and on its authors' pspnet: the 30 auxiliary decoders are a
 * declared module (in {@code method.safetensors}), the perturbations draw from the step's generators and the engine's
 * per-step seed, so an interrupted and resumed tiny run ends with the bits of an uninterrupted one.
 */
class CctResumeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"deeplabv3plus", "pspnet"})
    void interruptedAndResumedRunEqualsUninterruptedRun(String arch) throws Exception {
        List<String> overrides = new ArrayList<>(TrainerTest.TINY);
        overrides.addAll(List.of("method.name=cct", "model.arch=" + arch, "method.cct.min_contour=0"));
        Config config = ConfigLoader.load(null, overrides);
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        EvalResult expected = TrainerTest.train(config, straight, false, -1);
        assertThrows(Trainer.TrainingStopped.class, () -> TrainerTest.train(config, resumed, false, 4));
        EvalResult actual = TrainerTest.train(config, resumed, true, -1);

        assertEquals(expected.meanIou(), actual.meanIou());
        for (String file : List.of("model.safetensors", Checkpoints.METHOD)) {
            assertEquals(Checkpoints.sha256(straight.resolve("checkpoints/last/" + file)),
                    Checkpoints.sha256(resumed.resolve("checkpoints/last/" + file)), file + " bit-identical");
        }
        List<String> a = Files.readAllLines(straight.resolve("metrics.jsonl"));
        List<String> b = Files.readAllLines(resumed.resolve("metrics.jsonl"));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(losses(a.get(i)), losses(b.get(i)), "line " + i);
        }
    }

    /** The loss fields of a metrics line, in order ("loss...": value), without timings. */
    private static List<String> losses(String line) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(loss[a-z_]*|unsup_weight)\":([-0-9.eE]+)")
                .matcher(line);
        while (m.find()) {
            out.add(m.group(1) + "=" + m.group(2));
        }
        return out;
    }
}
