package org.semiseg.report;

import org.semiseg.SemisegException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.semiseg.report.Html.esc;

/** The example images of a run report (RunReport). */
final class ExampleTable {
    private ExampleTable() {
    }

    /**
     * The "Examples" section: image, ground truth, prediction and overlay of each example the latest evaluation saved
     * (the PNG files under {@code snapshotFolder}, inlined); nothing when it saved none.
     */
    static void append(StringBuilder body, EvalSnapshot latest, Path snapshotFolder) {
        if (latest == null || latest.examples().isEmpty()) {
            return;
        }
        body.append("<h2>Examples</h2>\n<p class=\"note\">").append(latest.examples().size())
                .append(" images spread over the ").append(esc(latest.split())).append(" split, predicted at iteration ")
                .append(latest.iteration()).append(".</p>\n");
        if (!latest.colors().isEmpty()) {
            body.append("<div class=\"legend\">");
            for (int c = 0; c < latest.classNames().size(); c++) {
                body.append("<span><span class=\"swatch\" style=\"background:").append(latest.colors().get(c))
                        .append("\"></span>").append(esc(latest.classNames().get(c))).append("</span>");
            }
            body.append("</div>\n");
        }
        body.append("<div class=\"scroll\"><table class=\"examples\">\n")
                .append("<tr><th>image</th><th>ground truth</th><th>prediction</th><th>overlay</th></tr>\n");
        List<String> missing = new ArrayList<>();
        for (EvalSnapshot.Example e : latest.examples()) {
            body.append("<tr>");
            for (String file : List.of(e.image(), e.truth(), e.prediction(), e.overlay())) {
                body.append("<td>").append(image(snapshotFolder, file, e.id(), missing)).append("</td>");
            }
            body.append("</tr>\n<tr><td colspan=\"4\" class=\"note\">").append(esc(e.id())).append("</td></tr>\n");
        }
        body.append("</table></div>\n");
        if (!missing.isEmpty()) {
            body.append("<p class=\"note\">Missing: ").append(esc(String.join(", ", missing))).append("</p>\n");
        }
    }

    private static String image(Path snapshotFolder, String relative, String id, List<String> missing) {
        Path file = snapshotFolder.resolve(relative).normalize();
        if (relative.isEmpty() || !file.startsWith(snapshotFolder.normalize()) || !Files.isRegularFile(file)) {
            missing.add(relative);
            return "";
        }
        try {
            return "<img alt=\"" + esc(id + " " + relative) + "\" src=\"" + Html.pngDataUri(file) + "\">";
        } catch (IOException e) {
            throw new SemisegException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
