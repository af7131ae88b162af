package org.semiseg.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.Needs;

/**
 * Checks parameter names against the real torchvision: a Python script (Debian's /usr/bin/python3 with torch and
 * torchvision) writes resnet18/resnet50 state dicts as safetensors; skipped when they are absent, except under CI=true
 * (.ci/run installs python3-torch and python3-torchvision).
 */
class TorchvisionNamesTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Writes {name}.safetensors (fc.* and num_batches_tracked included) and prints KEYS / CHECK lines. */
    private static final String SCRIPT = """
            import json, struct, sys, torch, torchvision
            out = sys.argv[1]
            torch.manual_seed(0)
            DTYPES = {torch.float32: "F32", torch.int64: "I64"}
            def save(sd, path):
                header, blobs, offset = {}, [], 0
                for key, t in sd.items():
                    data = t.detach().contiguous().numpy().tobytes()  # little-endian on x86
                    header[key] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                                   "data_offsets": [offset, offset + len(data)]}
                    blobs.append(data)
                    offset += len(data)
                h = json.dumps(header).encode()
                h += b" " * (-len(h) % 8)
                with open(path, "wb") as f:
                    f.write(struct.pack("<Q", len(h)))
                    f.write(h)
                    for b in blobs:
                        f.write(b)
            for name in ("resnet18", "resnet50"):
                net = getattr(torchvision.models, name)()
                for m in net.modules():
                    if isinstance(m, torch.nn.BatchNorm2d):  # make the statistics worth checking
                        m.running_mean.normal_()
                        m.running_var.uniform_(0.5, 2)
                        m.weight.data.normal_()
                sd = net.state_dict()
                save(sd, f"{out}/{name}.safetensors")
                keys = [k for k in sd if not k.startswith("fc.") and not k.endswith("num_batches_tracked")]
                print("KEYS", name, ",".join(keys))
                for k in ("conv1.weight", "bn1.running_mean", "layer1.0.bn1.running_var",
                          "layer4.1.conv2.weight", "layer2.0.downsample.1.running_mean"):
                    print("CHECK", name, k, " ".join(repr(v) for v in sd[k].flatten()[:4].tolist()))
            """;

    @TempDir
    static Path dir;
    private static final Map<String, Set<String>> KEYS = new HashMap<>();
    private static final Map<String, Map<String, float[]>> CHECKS = new HashMap<>();

    @BeforeAll
    static void writeTorchvisionStateDicts() throws IOException, InterruptedException {
        Needs.present(Files.isExecutable(PYTHON), PYTHON.toString());
        Needs.present(run(PYTHON.toString(), "-c", "import torch, torchvision").exit == 0,
                "torch and torchvision for " + PYTHON + " (Debian's python3-torch and python3-torchvision)");
        Path script = dir.resolve("write_state_dicts.py");
        Files.writeString(script, SCRIPT);
        Result r = run(PYTHON.toString(), script.toString(), dir.toString());
        assertEquals(0, r.exit, r.output);
        for (String line : r.output.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("KEYS")) {
                KEYS.put(f[1], new TreeSet<>(Arrays.asList(f[2].split(","))));
            } else if (f[0].equals("CHECK")) {
                float[] values = new float[f.length - 3];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.parseFloat(f[i + 3]);
                }
                CHECKS.computeIfAbsent(f[1], k -> new HashMap<>()).put(f[2], values);
            }
        }
    }

    private record Result(int exit, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        return new Result(p.exitValue(), output);
    }

    @Test
    void resnet18NamesEqualTorchvisionAndWeightsLoad() {
        checkBackbone(new ModelSpec("deeplabv2", "resnet18", 8, 1.0, 19));
    }

    @Test
    void resnet50NamesEqualTorchvisionAndWeightsLoad() {
        checkBackbone(new ModelSpec("deeplabv3plus", "resnet50", 16, 1.0, 19));
    }

    private static void checkBackbone(ModelSpec spec) {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet net = Models.build(spec);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            LinkedHashMap<String, Parameter> names = ParameterNames.of(net);
            Set<String> backbone = new TreeSet<>();
            for (String name : names.keySet()) {
                if (name.startsWith("backbone.")) {
                    backbone.add(name.substring("backbone.".length()));
                }
            }
            assertEquals(KEYS.get(spec.backbone()), backbone);

            PretrainedWeights.loadBackbone(net, dir.resolve(spec.backbone() + ".safetensors"), manager);
            for (Map.Entry<String, float[]> check : CHECKS.get(spec.backbone()).entrySet()) {
                float[] expected = check.getValue();
                float[] actual = Arrays.copyOf(
                        names.get("backbone." + check.getKey()).getArray().toFloatArray(), expected.length);
                assertArrayEquals(expected, actual, 0f, check.getKey());
            }
            assertTrue(names.get("backbone.conv1.weight").getArray().hasGradient(), "still trainable");
        }
    }
}
