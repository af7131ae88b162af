package org.semiseg.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * The pieces the HTML reports share: escaping, number formats, embedded PNGs and the page frame (inline CSS and a
 * small script that records on {@code <body>} what rendered, for the browser test and for anyone looking).
 */
public final class Html {
    /** Shown where a value is missing (an unfinished run, a class absent from the split). */
    public static final String MISSING = "\u2013";

    private static final String CSS = """
            :root{--ink:#1d2330;--muted:#5d6677;--line:#dde1e8;--panel:#f6f7f9;--accent:#1f77b4}
            *{box-sizing:border-box}
            body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:#fff}
            main{max-width:1200px;margin:0 auto;padding:20px 24px 48px}
            h1{font-size:24px;margin:4px 0 2px}
            h2{font-size:18px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
            .sub{color:var(--muted);margin:0 0 14px}
            .facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(210px,1fr));gap:8px;margin:12px 0}
            .fact{background:var(--panel);border-radius:6px;padding:8px 10px}
            .fact b{display:block;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}
            .fact span{font-size:15px;word-break:break-word}
            .fact.big span{font-size:22px;font-weight:600;color:var(--accent)}
            .charts{display:flex;flex-wrap:wrap;gap:18px}
            figure{margin:0;flex:1 1 460px;min-width:0}
            figcaption{color:var(--muted);font-size:12px;margin-top:2px}
            svg.chart{display:block;width:100%;height:auto;max-width:100%}
            svg.chart text{font-family:inherit}
            table{border-collapse:collapse;margin:6px 0;font-size:13px}
            th,td{padding:4px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
            th{background:var(--panel);font-weight:600}
            td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
            .scroll{overflow-x:auto;max-width:100%}
            table.examples{width:100%;max-width:840px;table-layout:fixed}
            .examples td,.examples th{border:none;padding:3px}
            .examples img{display:block;width:100%;min-width:80px;height:auto;image-rendering:pixelated;border-radius:3px;background:#eee}
            .legend{display:flex;flex-wrap:wrap;gap:6px 14px;margin:6px 0;font-size:13px}
            .swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px;border:1px solid #0003}
            code{background:var(--panel);padding:1px 4px;border-radius:3px;font-size:12px;word-break:break-all}
            .note{color:var(--muted);font-size:13px}
            a{color:var(--accent)}
            """;

    /**
     * After the load event: how many images decoded completely (their bottom row is opaque when drawn on a canvas:
     * the PNGs are RGB, so a transparent pixel there means a truncated file) and how many charts drew something (the
     * bounding box of their {@code .plot} group is not empty), and on a grid page how many rows the forest plot has,
     * how many of them drew and how many drew their point, as {@code data-*} attributes of {@code <body>}.
     */
    private static final String RENDER_CHECK = """
            function decoded(img) {
              if (!img.complete || img.naturalWidth === 0) return false;
              try {
                var canvas = document.createElement('canvas');
                canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
                var g = canvas.getContext('2d');
                g.drawImage(img, 0, 0);
                var row = g.getImageData(0, canvas.height - 1, canvas.width, 1).data;
                for (var i = 3; i < row.length; i += 4) if (row[i] === 0) return false;
              } catch (e) { /* an unreadable canvas: naturalWidth has to do */ }
              return true;
            }
            window.addEventListener('load', function () {
              var images = document.images, ok = 0;
              for (var i = 0; i < images.length; i++) if (decoded(images[i])) ok++;
              var charts = document.querySelectorAll('svg.chart'), drawn = 0;
              for (var j = 0; j < charts.length; j++) {
                var plot = charts[j].querySelector('.plot'), box = plot ? plot.getBBox() : null;
                var rect = charts[j].getBoundingClientRect();
                if (box && (box.width > 0 || box.height > 0) && rect.width > 0 && rect.height > 0) drawn++;
              }
              var rows = document.querySelectorAll('svg.forest .row'), rowsDrawn = 0, marks = 0;
              for (var k = 0; k < rows.length; k++) {
                var r = rows[k].getBBox(), point = rows[k].querySelector('.point');
                if (r.width > 0 && r.height > 0) rowsDrawn++;
                if (point && point.getBBox().width > 0) marks++;
              }
              var d = document.body.dataset;
              d.imagesTotal = images.length; d.imagesDecoded = ok;
              d.chartsTotal = charts.length; d.chartsDrawn = drawn;
              d.forestRows = rows.length; d.forestRowsDrawn = rowsDrawn; d.forestPoints = marks; d.rendered = 'yes';
            });
            """;

    private Html() {
    }

    /** Text safe inside elements and quoted attributes. */
    public static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A whole page: title, inline style, the body and the render check; nothing outside the file. */
    public static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + esc(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n<main>\n"
                + body + "</main>\n<script>\n" + RENDER_CHECK + "</script>\n</body>\n</html>\n";
    }

    /** A PNG file as a {@code data:} URI. */
    public static String pngDataUri(Path png) throws IOException {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png));
    }

    /** A fraction in [0, 1] as a percent with two decimals; {@link #MISSING} for NaN. */
    public static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f", 100 * fraction) : MISSING;
    }

    /** A number with {@code decimals} decimals; {@link #MISSING} for NaN. */
    public static String number(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : MISSING;
    }

    /** Seconds as {@code 1 h 02 min}, {@code 20 min 34 s} or {@code 12.3 s}. */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return MISSING;
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** One labelled value of the facts grid. */
    public static String fact(String label, String value, boolean big) {
        return "<div class=\"fact" + (big ? " big" : "") + "\"><b>" + esc(label) + "</b><span>" + esc(value)
                + "</span></div>\n";
    }

    /** A chart with its caption. */
    public static String figure(String svg, String caption) {
        return "<figure>" + svg + (caption == null ? "" : "<figcaption>" + esc(caption) + "</figcaption>")
                + "</figure>\n";
    }

    /** {@code #rrggbb} of a packed {@code 0xRRGGBB}. */
    public static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb & 0xFFFFFF);
    }
}
