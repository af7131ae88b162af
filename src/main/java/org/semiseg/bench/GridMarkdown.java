package org.semiseg.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code results.md}: the grid's tables as Markdown, rendered from the same tree as {@code results.json}. */
final class GridMarkdown {
    private GridMarkdown() {
    }

    static String render(JsonNode r) {
        StringBuilder md = new StringBuilder();
        String test = r.path("test_split").asText();
        md.append("# Grid `").append(r.path("name").asText()).append("`: ").append(r.path("dataset").asText()).append("\n\n");
        md.append("Command: `").append(r.path("command").asText()).append("`  \n");
        md.append("Grid file: `").append(r.path("grid").asText()).append("`, commit ").append(r.path("commit").asText("unknown"))
                .append(", written ").append(r.path("date").asText()).append(".\n\n");
        md.append("Scale: ").append(scale(r.path("scale"))).append(".\n\n");
        md.append("Models are selected on val (the checkpoint with the best val mIoU) and reported on ").append(test)
                .append(". mIoU in percent; mean ± sample std over the finished seeds (each seed is its own labeled split).\n\n");

        md.append("## ").append(test).append(" mIoU\n\n");
        md.append("| method | labeled | seeds done | ").append(test).append(" mIoU per seed | mean ± std | best val mIoU (mean) "
                + "| gain over supervised | 95 % CI | p | gap closed |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode s : r.path("summary")) {
            List<String> perSeed = new ArrayList<>();
            for (JsonNode run : runsOf(r, s)) {
                perSeed.add(run.path("status").asText().equals("finished")
                        ? pct(run.get("test_miou")) : "(" + run.path("status").asText() + ")");
            }
            md.append("| ").append(label(s)).append(" | ").append(labeled(r, s)).append(" | ")
                    .append(s.path("finished").asInt()).append("/").append(s.path("seeds").size()).append(" | ")
                    .append(String.join(", ", perSeed)).append(" | ").append(pct(s.get("test_miou_mean")));
            if (has(s, "test_miou_std")) {
                md.append(" ± ").append(pct(s.get("test_miou_std")));
            }
            md.append(" | ").append(pct(s.get("val_miou_mean"))).append(" | ").append(gain(s)).append(" | ")
                    .append(interval(s, "gain_mean", "gain_ci_low", "gain_ci_high")).append(" | ")
                    .append(p(s, "gain_mean", "gain_p")).append(" | ")
                    .append(has(s, "gap_share") ? String.format(Locale.ROOT, "%.0f %%", 100 * s.get("gap_share").asDouble()) : "-")
                    .append(" |\n");
        }
        md.append("\n\"gain over supervised\": the method's ").append(test).append(" mIoU minus supervised's on the same ")
                .append("labeled split (same seed), mean ± std over the seeds both have finished (their count in brackets); ")
                .append("pairing by split removes how easy each split is from the comparison. \"gap closed\": that gain over ")
                .append("the gap between supervised at the method's ratio, on the same splits, and supervised on every label (")
                .append(test).append(" means).\n\n");
        if (has(r, "statistics")) {
            md.append("Statistics: ").append(r.get("statistics").asText()).append("\n\n");
        }
        comparisons(md, r.path("comparisons"), test);
        variants(md, r.path("variants"));

        md.append("## Per-class ").append(test).append(" IoU (mean over finished seeds)\n\n| method | labeled |");
        for (JsonNode c : r.path("classes")) {
            md.append(' ').append(c.asText()).append(" |");
        }
        md.append("\n|---|---|").append("---|".repeat(r.path("classes").size())).append('\n');
        for (JsonNode s : r.path("summary")) {
            if (!has(s, "class_iou_mean")) {
                continue;
            }
            md.append("| ").append(label(s)).append(" | ").append(labeled(r, s)).append(" |");
            for (JsonNode v : s.get("class_iou_mean")) {
                md.append(' ').append(pct(v)).append(" |");
            }
            md.append('\n');
        }

        md.append("\n## Cost\n\n| method | labeled | wall time per run | data ms/step | compute ms/step | extra ms/step | step times |\n|---|---|---|---|---|---|---|\n");
        for (JsonNode s : r.path("summary")) {
            md.append("| ").append(label(s)).append(" | ").append(labeled(r, s)).append(" | ")
                    .append(duration(s.get("wall_s_mean"))).append(" | ").append(ms(s.get("data_ms"))).append(" | ")
                    .append(ms(s.get("compute_ms"))).append(" | ").append(ms(s.get("extra_ms"))).append(" | ")
                    .append(!has(s, "compute_ms") ? "-" : s.path("cost_reliable").asBoolean(true) ? "ok" : "**not reliable**")
                    .append(" |\n");
        }
        List<String> notes = new ArrayList<>();
        for (JsonNode run : r.path("runs")) {
            if (has(run, "cost_note") && run.path("status").asText().equals("finished")) {
                notes.add("- " + run.path("name").asText() + ": " + run.get("cost_note").asText());
            }
        }
        if (!notes.isEmpty()) {
            md.append("\nStep times not reliable (a run that shared the machine: other processes' mean share of its CPU, "
                    + "sampled every 10 s while it trained, above ").append(Math.round(100 * r.path("shared_cpu_threshold").asDouble(0.25)))
                    .append(" %; a run timed over fewer than 3 log intervals; a negative extra cost):\n\n")
                    .append(String.join("\n", notes)).append('\n');
        }
        List<String> kept = new ArrayList<>();
        for (JsonNode run : r.path("runs")) {
            if (run.path("recorded").asBoolean(false)) {
                kept.add(run.path("name").asText());
            }
        }
        if (!kept.isEmpty()) {
            md.append("\nKept as an earlier results.json recorded them (their run folders are gone; the grid's "
                    + "keep_recorded): ").append(String.join(", ", kept)).append(".\n");
        }
        md.append("\nPer step, median over the log intervals of a run, then the mean over its finished seeds: waiting for "
                + "data, compute (forward, backward, update), and the method's own extra work = its compute minus "
                + "supervised's at the same ratio and seed. Wall time: from the start to the end of training "
                + "(all segments of a resumed run; evaluations and checkpoints included, the final test evaluation not).\n\n");

        md.append("## Runs\n\n| run | status | labeled images | iterations | best val (iter) | ").append(test)
                .append(" | wall time | compute ms/step | machine |\n|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode run : r.path("runs")) {
            md.append("| ").append(run.path("name").asText()).append(" | ").append(run.path("status").asText()).append(" | ")
                    .append(has(run, "labeled_images") ? run.get("labeled_images").asText() : "-").append(" | ")
                    .append(has(run, "done_iterations") ? run.get("done_iterations").asText() : "0").append("/")
                    .append(run.path("iterations").asText()).append(" | ")
                    .append(pct(run.get("val_miou"))).append(has(run, "best_iter") ? " (" + run.get("best_iter").asText() + ")" : "")
                    .append(" | ").append(pct(run.get("test_miou"))).append(" | ").append(duration(run.get("wall_s")))
                    .append(" | ").append(ms(run.get("compute_ms"))).append(" | ").append(machines(run)).append(" |\n");
        }
        return md.toString();
    }

    /** "+4.20 ± 1.10 (3)": the paired gain over supervised in mIoU points; "-" for supervised or without pairs. */
    private static String gain(JsonNode s) {
        if (!has(s, "gain_mean")) {
            return "-";
        }
        StringBuilder g = new StringBuilder(String.format(Locale.ROOT, "%+.2f", 100 * s.get("gain_mean").asDouble()));
        if (has(s, "gain_std")) {
            g.append(" ± ").append(pct(s.get("gain_std")));
        }
        return g.append(" (").append(s.path("gain_seeds").asInt()).append(')').toString();
    }

    /** "[-2.78, +9.54]" in mIoU points; "n < 2" with one pair; "-" without a mean. */
    private static String interval(JsonNode s, String mean, String low, String high) {
        if (!has(s, mean)) {
            return "-";
        }
        if (!has(s, low) || !has(s, high)) {
            return "n < 2";
        }
        return String.format(Locale.ROOT, "[%+.2f, %+.2f]", 100 * s.get(low).asDouble(), 100 * s.get(high).asDouble());
    }

    /** The p-value to 3 decimals ("< 0.001" below); "n < 2" with one pair; "-" without a mean. */
    private static String p(JsonNode s, String mean, String p) {
        if (!has(s, mean)) {
            return "-";
        }
        if (!has(s, p)) {
            return "n < 2";
        }
        double v = s.get(p).asDouble();
        return PairedStats.format(v);
    }

    /** The grid's {@code compare} pairs: A − B by split, with the same statistics; nothing when it has none. */
    private static void comparisons(StringBuilder md, JsonNode comparisons, String test) {
        if (!comparisons.isArray() || comparisons.isEmpty()) {
            return;
        }
        md.append("## Compared pairs\n\nThe grid's `compare` pairs: A's ").append(test).append(" mIoU minus B's on the same "
                + "labeled split (same ratio and seed), over the splits both have finished.\n\n"
                + "| A \u2212 B | labeled | splits (seeds) | difference per split | mean ± std | 95 % CI | p |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (JsonNode c : comparisons) {
            List<String> per = new ArrayList<>();
            c.path("differences").forEach(d -> per.add(String.format(Locale.ROOT, "%+.2f", 100 * d.asDouble())));
            List<String> seeds = new ArrayList<>();
            c.path("seeds").forEach(x -> seeds.add(x.asText()));
            String mean = !has(c, "diff_mean") ? "-" : String.format(Locale.ROOT, "%+.2f", 100 * c.get("diff_mean").asDouble())
                    + (has(c, "diff_std") ? " ± " + pct(c.get("diff_std")) : "");
            md.append("| ").append(c.path("a").asText()).append(" \u2212 ").append(c.path("b").asText()).append(" | ")
                    .append(c.path("ratio").asText()).append(" | ").append(c.path("pairs").asInt())
                    .append(seeds.isEmpty() ? "" : " (" + String.join(", ", seeds) + ")").append(" | ")
                    .append(per.isEmpty() ? "-" : String.join(", ", per)).append(" | ").append(mean).append(" | ")
                    .append(interval(c, "diff_mean", "ci_low", "ci_high")).append(" | ").append(p(c, "diff_mean", "p"))
                    .append(" |\n");
        }
        md.append('\n');
    }

    /**
     * The variants (groups with a tag) and what each changes, after the note on gains; nothing for a grid without
     * variants.
     */
    private static void variants(StringBuilder md, JsonNode variants) {
        if (!variants.isArray() || variants.isEmpty()) {
            return;
        }
        md.append("## Variants\n\nA row `METHOD [TAG]` is METHOD with its group's `set` applied after the grid's (and before "
                + "the command line's `--set`); its runs are `METHOD@TAG-RATIO-sSEED`. Its gain is paired, split by split, "
                + "with plain supervised (no tag), like every method's; a supervised variant is such a row too.\n\n"
                + "| variant | methods | set |\n|---|---|---|\n");
        for (JsonNode v : variants) {
            List<String> set = new ArrayList<>();
            v.path("set").forEach(o -> set.add("`" + o.asText().replace("|", "\\|") + "`"));
            List<String> methods = new ArrayList<>();
            v.path("methods").forEach(m -> methods.add(m.asText()));
            md.append("| ").append(v.path("tag").asText()).append(" | ").append(String.join(", ", methods)).append(" | ")
                    .append(set.isEmpty() ? "(nothing: the plain runs again)" : String.join(", ", set)).append(" |\n");
        }
        md.append('\n');
    }

    /** A row's name: {@code METHOD} or {@code METHOD [TAG]} (results.json's {@code label}; its method when absent). */
    private static String label(JsonNode row) {
        return row.path("label").asText(row.path("method").asText());
    }

    private static List<JsonNode> runsOf(JsonNode r, JsonNode summary) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode run : r.path("runs")) {
            if (label(run).equals(label(summary))
                    && run.path("ratio").asText().equals(summary.path("ratio").asText())) {
                out.add(run);
            }
        }
        return out;
    }

    private static String labeled(JsonNode r, JsonNode summary) {
        for (JsonNode run : runsOf(r, summary)) {
            if (has(run, "labeled_images")) {
                return summary.path("ratio").asText() + " (" + run.get("labeled_images").asInt() + ")";
            }
        }
        return summary.path("ratio").asText();
    }

    private static String scale(JsonNode s) {
        StringBuilder b = new StringBuilder();
        b.append(s.path("arch").asText()).append(' ').append(s.path("backbone").asText())
                .append(", width ").append(s.path("width").asText()).append(", output stride ").append(s.path("output_stride").asText())
                .append(has(s, "pretrained") ? ", pretrained " + s.get("pretrained").asText() : ", from scratch")
                .append("; images resized by ").append(has(s, "resize") ? s.get("resize").toString() : "nothing")
                .append(", random crops ").append(has(s, "crop") ? s.get("crop").get(0).asText() + "x" + s.get("crop").get(1).asText() : "none")
                .append(" (height x width); ").append(s.path("iterations").asText()).append(" iterations of batch ")
                .append(s.path("batch_size").asText()).append(" (labeled; unlabeled: the same number of images x ")
                .append(s.path("unlabeled_views").asText()).append(" views); class balancing ")
                .append(s.path("class_balancing").asBoolean() ? "on" : "off").append("; evaluation ").append(s.path("eval_mode").asText());
        return b.toString();
    }

    private static boolean has(JsonNode n, String key) {
        return n.has(key) && !n.get(key).isNull();
    }

    private static String pct(JsonNode v) {
        return v == null || v.isNull() ? "-" : String.format(Locale.ROOT, "%.2f", 100 * v.asDouble());
    }

    /** The machines a run trained on, joined by " then "; "-" where not recorded. */
    private static String machines(JsonNode run) {
        List<String> names = new ArrayList<>();
        run.path("machines").forEach(n -> names.add(n.asText()));
        return names.isEmpty() ? "-" : String.join(" then ", names);
    }

    private static String ms(JsonNode v) {
        return v == null || v.isNull() ? "-" : String.format(Locale.ROOT, "%.0f", v.asDouble());
    }

    private static String duration(JsonNode v) {
        if (v == null || v.isNull()) {
            return "-";
        }
        long s = Math.round(v.asDouble());
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
    }
}
