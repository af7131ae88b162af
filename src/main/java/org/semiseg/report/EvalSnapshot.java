package org.semiseg.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.semiseg.data.Palette;
import org.semiseg.data.Sample;
import org.semiseg.eval.EvalReport;
import org.semiseg.eval.EvalResult;
import org.semiseg.io.Images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the run report needs from the latest evaluation beyond the metrics log: the confusion matrix, the class
 * colours and a few fixed validation images with their predictions. Written at every evaluation to
 * {@code <run>/report/eval-latest.json} (the schema of eval.json plus {@code iteration}, {@code colors} and
 * {@code examples}) and {@code <run>/report/examples/<k>-{image,truth,prediction,overlay}.png}, each file through a
 * temporary file and a rename.
 *
 * @param iteration       the evaluated iteration, -1 when unknown
 * @param split           the evaluated split
 * @param classNames      class names in index order
 * @param colors          {@code #rrggbb} per class, empty when unknown
 * @param iou             IoU per class (NaN: absent)
 * @param meanIou         mean IoU
 * @param confusionMatrix pixel counts {@code [label][pred]}, null when the file has none
 * @param examples        the example images, paths relative to the snapshot's folder
 */
public record EvalSnapshot(int iteration, String split, List<String> classNames, List<String> colors, double[] iou,
                           double meanIou, long[][] confusionMatrix, List<Example> examples) {
    /** File of the latest snapshot, relative to the run directory. */
    public static final String LATEST = "report/eval-latest.json";
    /** Validation images shown in the report: the first ones of the split, always the same. */
    public static final int EXAMPLES = 4;
    /** Weight of the class colour in the overlay. */
    private static final double OVERLAY_ALPHA = 0.5;

    /** Four PNGs of one example, relative to the snapshot's folder. */
    public record Example(String id, String image, String truth, String prediction, String overlay) {
    }

    /** A validation image with the network's labels for it (class index per pixel, row-major). */
    public record Predicted(Sample sample, int[] prediction) {
    }

    /** Writes the example PNGs, then {@link #LATEST}. */
    public static void save(Path runDir, int iteration, EvalResult result, Palette palette, List<Predicted> examples)
            throws IOException {
        Path folder = runDir.resolve(LATEST).getParent();
        List<Map<String, Object>> listed = new ArrayList<>();
        for (int k = 0; k < examples.size(); k++) {
            Sample s = examples.get(k).sample();
            int[] labels = examples.get(k).prediction();
            String stem = "examples/" + k + "-";
            try {
                Images.writeImagePng(folder.resolve(stem + "image.png"), s.image(), s.height(), s.width());
                Images.writeColorMaskPng(folder.resolve(stem + "truth.png"), s.mask(), s.height(), s.width(), palette);
                Images.writeColorMaskPng(folder.resolve(stem + "prediction.png"), labels, s.height(), s.width(), palette);
                Images.writeOverlayPng(folder.resolve(stem + "overlay.png"), s, labels, palette, OVERLAY_ALPHA);
            } catch (java.io.UncheckedIOException e) {
                throw new IOException(e.getMessage(), e);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", s.id());
            for (String kind : List.of("image", "truth", "prediction", "overlay")) {
                entry.put(kind, stem + kind + ".png");
            }
            listed.add(entry);
        }
        List<String> colors = new ArrayList<>();
        for (int c = 0; c < result.classNames().size(); c++) {
            colors.add(Html.hex(palette.rgb(c)));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("iteration", iteration);
        extra.put("colors", colors);
        extra.put("examples", listed);
        EvalReport.writeJson(runDir.resolve(LATEST), result, extra);
    }

    /**
     * Reads a snapshot, or an eval.json (no colours, no examples).
     *
     * @throws IllegalArgumentException if the JSON lacks the class names or the IoU
     */
    public static EvalSnapshot of(JsonNode json) {
        JsonNode names = json.path("classNames");
        if (!names.isArray() || names.isEmpty()) {
            throw new IllegalArgumentException("it has no classNames");
        }
        List<String> classNames = new ArrayList<>();
        names.forEach(n -> classNames.add(n.asText()));
        double[] iou = new double[classNames.size()];
        JsonNode byClass = json.path("iou");
        for (int c = 0; c < iou.length; c++) {
            iou[c] = Json.num(byClass.path(classNames.get(c)));
        }
        List<String> colors = new ArrayList<>();
        json.path("colors").forEach(n -> colors.add(n.asText()));
        if (colors.size() != classNames.size() || !colors.stream().allMatch(c -> c.matches("#[0-9a-fA-F]{6}"))) {
            colors.clear();
        }
        long[][] cm = null;
        JsonNode matrix = json.path("confusionMatrix");
        if (matrix.isArray() && matrix.size() == classNames.size()) {
            cm = new long[classNames.size()][classNames.size()];
            for (int l = 0; l < cm.length; l++) {
                JsonNode row = matrix.get(l);
                if (!row.isArray() || row.size() != cm.length) {
                    throw new IllegalArgumentException("confusionMatrix row " + l + " does not have " + cm.length + " counts");
                }
                for (int p = 0; p < cm.length; p++) {
                    cm[l][p] = row.get(p).asLong();
                }
            }
        }
        List<Example> examples = new ArrayList<>();
        for (JsonNode e : json.path("examples")) {
            examples.add(new Example(e.path("id").asText(""), e.path("image").asText(), e.path("truth").asText(),
                    e.path("prediction").asText(), e.path("overlay").asText()));
        }
        return new EvalSnapshot(json.path("iteration").asInt(-1), json.path("split").asText("val"), classNames, colors,
                iou, Json.num(json.path("mIoU")), cm, examples);
    }

    /** The confusion matrix with each row divided by its sum (rows without pixels NaN); null when there is none. */
    public double[][] rowNormalised() {
        if (confusionMatrix == null) {
            return null;
        }
        int n = confusionMatrix.length;
        double[][] out = new double[n][n];
        for (int l = 0; l < n; l++) {
            long sum = 0;
            for (long v : confusionMatrix[l]) {
                sum += v;
            }
            for (int p = 0; p < n; p++) {
                out[l][p] = sum == 0 ? Double.NaN : (double) confusionMatrix[l][p] / sum;
            }
        }
        return out;
    }
}
