package org.semiseg.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The scanner behind {@link GraphSafeScanTest} on snippets: what it must flag, and what it must let pass. */
class ScalarOverloadScannerTest {

    private static List<ScalarOverloadScanner.Hit> scan(String body) {
        return ScalarOverloadScanner.scan("Snippet.java", "class Snippet {\n" + body + "\n}\n");
    }

    private static void flagged(String body, String method, String argument) {
        List<ScalarOverloadScanner.Hit> hits = scan(body);
        assertEquals(1, hits.size(), body + " -> " + hits);
        assertEquals(method, hits.get(0).method(), body);
        assertEquals(argument, hits.get(0).argument(), body);
    }

    private static void passes(String body) {
        List<ScalarOverloadScanner.Hit> hits = scan(body);
        assertTrue(hits.isEmpty(), body + " -> " + hits);
    }

    @Test
    void literalsAreFlagged() {
        flagged("NDArray y = x.mul(2f);", "mul", "2f");
        flagged("NDArray y = x.div(0.5);", "div", "0.5");
        flagged("NDArray y = x.pow(2);", "pow", "2");
        flagged("NDArray y = x.add(-1e-6f);", "add", "-1e-6f");
        flagged("NDArray y = x.maximum( 1f );", "maximum", "1f");
        flagged("NDArray y = x.minimum(.25);", "minimum", ".25");
        flagged("NDArray y = x.rsub(1);", "rsub", "1");
        flagged("NDArray y = x.rdiv(1L);", "rdiv", "1L");
        flagged("void f() { t.muli(0.99f); }", "muli", "0.99f");
        flagged("void f() { t.addi(1_000); }", "addi", "1_000");
        flagged("NDArray y = x.mul((2f));", "mul", "(2f)");
    }

    @Test
    void castsPrimitiveNamesAndTheirArithmeticAreFlagged() {
        flagged("NDArray f(NDArray x, List<?> l) { return x.div((float) l.size()); }", "div", "(float) l.size()");
        flagged("NDArray f(NDArray x, float alpha) { return x.mul(alpha); }", "mul", "alpha");
        flagged("private final double w = 0.1;\nNDArray f(NDArray x) { return x.mul(w); }", "mul", "w");
        flagged("NDArray f(NDArray x, int n) { return x.div(n); }", "div", "n");
        flagged("NDArray f(NDArray x, long n) { return x.div(n); }", "div", "n");
        flagged("NDArray f(NDArray x, float a) { return x.mul(1 - a); }", "mul", "1 - a");
        flagged("NDArray f(NDArray x, float a, int k) { return x.mul(a * (k + 1)); }", "mul", "a * (k + 1)");
        // the call may wrap lines; the line is the method name's
        List<ScalarOverloadScanner.Hit> hits = scan("NDArray f(NDArray x) {\n return x\n   .mul(\n  3f);\n}");
        assertEquals(1, hits.size());
        assertEquals(4, hits.get(0).line());
    }

    @Test
    void arraysCallsAndTwoArgumentsPass() {
        passes("NDArray y = x.mul(w);");
        passes("NDArray y = x.mul(GraphSafe.scale(w, 2));");
        passes("NDArray y = GraphSafe.scale(x, 2.0);");
        passes("NDArray y = x.div(count.maximum(one));");
        passes("NDArray f(NDArray x, float[] w) { return x.mul(m.create(w)); }");
        passes("NDArray f(NDArray x, float a) { return x.mul(m.create(a)); }");
        passes("NDArray f(NDArray x, float a) { return x.mul(config.alpha()); }");
        passes("void f(int c) { counts.add(masks, c); }");
        passes("NDArray y = x.reshape(-1, 1).mul(z.reshape(1, -1));");
        passes("float alphaOf() { return 1f; }\nNDArray y = x.mul(alphaOf);");
        passes("NDArray y = x.multiply(2f);");
    }

    @Test
    void commentsAndStringsAreNotCode() {
        passes("/** Like {@code x.mul(2f)}. */\nNDArray y = x;");
        passes("// x.div(n) would be wrong\nNDArray y = x;");
        passes("String s = \"x.mul(2f)\";");
        passes("/* x.pow(6) */ NDArray y = x;");
    }

    @Test
    void optOutNeedsAReason() {
        passes("NDArray y = mask.mul(2f); // graph-safe: a mask, no gradient");
        List<ScalarOverloadScanner.Hit> hits = scan("NDArray y = mask.mul(2f); // graph-safe:");
        assertEquals(1, hits.size());
        assertTrue(hits.get(0).problem().contains("without a reason"), hits.toString());
        // a comment on another line does not count
        assertEquals(1, scan("// graph-safe: a mask\nNDArray y = mask.mul(2f);").size());
    }

    @Test
    void everyListedMethodIsSeen() {
        for (String method : ScalarOverloadScanner.METHODS) {
            flagged("NDArray y = x." + method + "(1f);", method, "1f");
        }
    }
}
