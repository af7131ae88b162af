package org.semiseg.weak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.data.DataSplits;
import org.semiseg.eval.ConfusionMatrix;
import org.semiseg.io.AtomicFiles;
import org.semiseg.io.OutOfSpace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@value PseudoMaskMaker#REPORT} of {@code semiseg weak}: what was made and how good it is. Keys: {@code images},
 * {@code tagsFrom}, {@code labeledImages}, {@code backgroundClass}, {@code settings} (scales, thresholds, CRF
 * iterations), {@code classifier} (steps, mean loss of the last tenth, skipped steps, seconds), {@code labeledShare}
 * (pixels the pseudo-masks label, of all pixels), and where true masks exist {@code truth}: {@code mIoU},
 * {@code pixelAccuracy} and {@code iou} per class over the pixels both the pseudo-mask and the true mask label,
 * {@code coverage} (the truly labeled pixels the pseudo-masks label) and the {@code confusionMatrix}
 * ([true][pseudo]); {@code truthWithoutCrf} the same before the CRF when {@code weak.crf} > 0. IoU values are
 * fractions, as in {@code eval.json}.
 */
final class WeakReport {
    private WeakReport() {
    }

    static void write(Path file, Config config, DataSplits data, ClassifierTraining.Result trained,
                      PseudoMaskMaker.Summary summary, int background) {
        List<String> names = data.train().classNames();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", summary.images());
        m.put("tagsFrom", data.tagged().origin());
        m.put("labeledImages", data.labeled().size());
        m.put("backgroundClass", background < 0 ? null : names.get(background));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("scales", config.weak().scales());
        settings.put("foreground", config.weak().foreground());
        settings.put("background", config.weak().background());
        settings.put("crf", config.weak().crf());
        m.put("settings", settings);
        Map<String, Object> classifier = new LinkedHashMap<>();
        classifier.put("iterations", config.weak().iterations());
        classifier.put("loss", finite(trained.loss()));
        classifier.put("skipped", trained.skipped());
        classifier.put("seconds", trained.seconds());
        m.put("classifier", classifier);
        m.put("labeledShare", finite(summary.labeledShare()));
        if (summary.truth() != null) {
            m.put("truth", quality(summary.truth(), names));
        }
        if (summary.truthWithoutCrf() != null) {
            m.put("truthWithoutCrf", quality(summary.truthWithoutCrf(), names));
        }
        try {
            AtomicFiles.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } catch (IOException e) {
            OutOfSpace.ifFull(e, file);
            throw new SemisegException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> quality(PseudoMaskMaker.Quality q, List<String> names) {
        ConfusionMatrix cm = q.confusion();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mIoU", finite(cm.meanIou()));
        m.put("pixelAccuracy", finite(cm.pixelAccuracy()));
        m.put("coverage", finite(q.coverage()));
        Map<String, Object> iou = new LinkedHashMap<>();
        double[] values = cm.iou();
        for (int c = 0; c < names.size(); c++) {
            iou.put(names.get(c), finite(values[c]));
        }
        m.put("iou", iou);
        m.put("confusionMatrix", cm.toArray());
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
