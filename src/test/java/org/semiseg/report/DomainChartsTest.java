package org.semiseg.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's domain section, from evaluation lines of a run on two domains; nothing for a run on one dataset. */
class DomainChartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode line(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void eachDomainHasItsCurveAndItsLatestPerClassIou() throws Exception {
        List<JsonNode> metrics = new ArrayList<>();
        metrics.add(line("{\"iter\": 1, \"loss\": 2.0, \"loss_a_sup\": 1.0, \"loss_b_sup\": 1.0}"));
        metrics.add(line("{\"iter\": 2, \"eval\": {\"split\": \"val\", \"mIoU\": 0.3}, \"miou\": 0.3, \"miou_a\": 0.2,"
                + " \"miou_b\": 0.4, \"eval_a\": {\"iou\": {\"road\": 0.1, \"car\": 0.3}},"
                + " \"eval_b\": {\"iou\": {\"sky\": 0.5, \"grass\": 0.3}}}"));
        metrics.add(line("{\"iter\": 4, \"eval\": {\"split\": \"val\", \"mIoU\": 0.5}, \"miou\": 0.5, \"miou_a\": 0.4,"
                + " \"miou_b\": 0.6, \"eval_a\": {\"iou\": {\"road\": 0.3, \"car\": 0.5}},"
                + " \"eval_b\": {\"iou\": {\"sky\": 0.7, \"grass\": 0.5}}}"));
        assertEquals(List.of("a", "b"), DomainCharts.domains(metrics.get(2)));
        String html = DomainCharts.section(metrics);
        for (String text : List.of("<h2>Domains</h2>", "2 domains on one shared encoder (a, b)", "mIoU per domain",
                "Per-class IoU, a", "Per-class IoU, b", "road", "grass", "iteration 4")) {
            assertTrue(html.contains(text), text);
        }
        assertEquals("", DomainCharts.section(List.of(line("{\"iter\": 2, \"eval\": {\"split\": \"val\","
                + " \"mIoU\": 0.3, \"iou\": {\"x\": 0.3}}}"))), "a run on one dataset has no domain section");
    }
}
