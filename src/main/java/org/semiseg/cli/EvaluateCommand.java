package org.semiseg.cli;

import org.semiseg.SemisegException;
import org.semiseg.eval.EvalReport;
import org.semiseg.eval.EvalResult;
import org.semiseg.train.TrainedModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code semiseg evaluate}: per-class IoU, mIoU and pixel accuracy of a trained model on a split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a trained model on a split; prints the IoU table and writes eval.json.")
public final class EvaluateCommand implements Callable<Integer> {
    @ArgGroup(multiplicity = "1")
    ModelSource source;

    @Option(names = "--split", paramLabel = "NAME", defaultValue = "val", description = "split to evaluate (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--out", paramLabel = "DIR", description = "where eval.json goes (default: the run directory)")
    Path out;

    @Option(names = "--domain", paramLabel = "NAME",
            description = "a run on several domains (data.domains): the domain to evaluate, on its own data and classes"
                    + " (default: the first); writes eval-<domain>.json")
    String domain;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() throws IOException {
        List<String> all = options.allOverrides();
        try (TrainedModel model = source.open(all, domain)) {
            EvalResult result = model.evaluate(split);
            if (model.domain() != null) {
                System.out.println("domain " + model.domain() + ":");
            }
            System.out.println(EvalReport.table(result));
            Path dir = out != null ? out : source.runDirectory(model);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("checkpoint", model.checkpoint().toString());
            // a domain's result goes beside the others' (eval.json of a run on several domains holds their mean)
            String name = model.domain() == null ? "eval.json" : "eval-" + model.domain() + ".json";
            if (model.domain() != null) {
                extra.put("domain", model.domain());
            }
            try {
                java.nio.file.Files.createDirectories(dir);
                EvalReport.writeJson(dir.resolve(name), result, extra);
            } catch (IOException e) {
                throw new SemisegException("cannot write " + dir.resolve(name) + ": " + e.getMessage());
            }
            System.out.println("wrote " + dir.resolve(name));
            return 0;
        }
    }
}
