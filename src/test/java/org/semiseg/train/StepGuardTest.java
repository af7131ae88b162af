package org.semiseg.train;

import ai.djl.nn.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a faulty step puts back: the BN running statistics a training-mode forward moved (the student's and the EMA
 * teacher's), and not the teacher's frozen weights, which only the teacher update (skipped on a fault) changes.
 */
class StepGuardTest {
    @TempDir
    Path dir;

    @Test
    void guardsEveryRunningStatisticAndNoFrozenWeight() {
        List<String> overrides = new ArrayList<>(TrainerTest.TINY);
        overrides.add("method.name=memory-bank");
        Config config = ConfigLoader.load(null, overrides);
        try (TrainSetup setup = TrainSetup.prepare(config, new RunDirectory(dir.resolve("run")), false, false)) {
            Map<String, Parameter> all = setup.guardedParameters();
            StepGuard guard = new StepGuard(all, setup.manager());
            long statistics = all.values().stream().filter(p -> p.getType() == Parameter.Type.RUNNING_MEAN
                    || p.getType() == Parameter.Type.RUNNING_VAR).count();
            assertEquals(statistics, guard.guarded().size());
            assertTrue(guard.guarded().stream().anyMatch(n -> n.startsWith("teacher.") && n.endsWith("running_var")),
                    "the teacher's statistics: " + guard.guarded());
            List<String> frozenWeights = all.entrySet().stream().filter(e -> !e.getValue().requiresGradient()
                    && e.getValue().getType() == Parameter.Type.WEIGHT).map(Map.Entry::getKey).toList();
            assertFalse(frozenWeights.isEmpty(), "memory-bank's EMA teacher has frozen weights");
            for (String name : frozenWeights) {
                assertFalse(guard.guarded().contains(name), name);
            }
        }
    }
}
