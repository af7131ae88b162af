package org.semiseg.loss;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds calls of DJL's scalar overloads in Java source: {@code .mul( .div( .add( .sub( .pow( .maximum( .minimum(
 * .rsub( .rdiv(} and their in-place forms, whose single argument is a primitive number (see {@link GraphSafe} for
 * why these corrupt gradients). A heuristic on text, not a compiler:
 *
 * <ul>
 *   <li>flagged arguments: a numeric literal ({@code 1f}, {@code 0.5}, {@code -1e-6f}, {@code 2}), an argument
 *       that starts with a cast to a primitive ({@code (float) n}, {@code (float) list.size()}), a name declared
 *       in the same file as {@code float}, {@code double},
 *       {@code int}, {@code long}, {@code short} or {@code byte} (fields, locals, parameters; scopes are ignored),
 *       and arithmetic made only of those ({@code 1 - alpha});</li>
 *   <li>not seen: primitives returned by method calls ({@code x.mul(config.weight())}), names declared in other
 *       files; the receiver's type is not checked either, so {@code list.add(i)} with {@code int i} is flagged;</li>
 *   <li>opt-out: a trailing {@code // graph-safe: <reason>} comment on the line where the method name stands,
 *       reason required (a bare {@code // graph-safe:} is itself reported).</li>
 * </ul>
 *
 * Comments, string and character literals are blanked before scanning, so examples in javadoc are not hits.
 */
final class ScalarOverloadScanner {

    /** One flagged call: 1-based line, the method name and the argument as written. */
    record Hit(String file, int line, String method, String argument, String problem) {
        @Override
        public String toString() {
            return file + ":" + line + ": ." + method + "(" + argument + ") " + problem;
        }
    }

    static final List<String> METHODS = List.of("mul", "div", "add", "sub", "pow", "maximum", "minimum", "rsub",
            "rdiv", "muli", "divi", "addi", "subi", "powi", "maximumi", "minimumi", "rsubi", "rdivi");

    private static final Pattern CALL = Pattern.compile("\\.\\s*(" + String.join("|", METHODS) + ")\\s*\\(");
    private static final Pattern DECLARATION =
            Pattern.compile("\\b(?:float|double|int|long|short|byte)\\s+([A-Za-z_$][\\w$]*)\\b(?!\\s*\\()");
    private static final Pattern LITERAL =
            Pattern.compile("(?:\\d[\\d_]*\\.?[\\d_]*|\\.\\d[\\d_]*)(?:[eE][-+]?\\d+)?[fFdDlL]?");
    private static final Pattern CAST = Pattern.compile("\\(\\s*(?:float|double|int|long|short|byte)\\s*\\)");
    /** A cast at the very start makes the whole argument a primitive: {@code (float) count.size()}. */
    private static final Pattern LEADING_CAST =
            Pattern.compile("[\\s(-]*\\(\\s*(?:float|double|int|long|short|byte)\\s*\\)");
    private static final Pattern OPT_OUT = Pattern.compile("//\\s*graph-safe:(.*)$");

    private ScalarOverloadScanner() {
    }

    /** Hits in every {@code .java} file under the given folders, in path order. */
    static List<Hit> scanTrees(List<Path> roots) throws IOException {
        List<Hit> hits = new ArrayList<>();
        for (Path root : roots) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            }
            for (Path file : files) {
                hits.addAll(scan(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        return hits;
    }

    /** Hits in one file's source text. */
    static List<Hit> scan(String file, String source) {
        String code = blank(source);
        String[] rawLines = source.split("\n", -1);
        Set<String> primitives = new HashSet<>();
        Matcher d = DECLARATION.matcher(code);
        while (d.find()) {
            primitives.add(d.group(1));
        }
        List<Hit> hits = new ArrayList<>();
        Matcher call = CALL.matcher(code);
        while (call.find()) {
            int open = call.end() - 1;
            int close = closingParen(code, open);
            if (close < 0) {
                continue;
            }
            String argument = code.substring(open + 1, close).trim();
            if (!isPrimitiveNumber(argument, primitives)) {
                continue;
            }
            int line = lineOf(code, call.start(1));
            Matcher opt = OPT_OUT.matcher(rawLines[line - 1]);
            String problem = "scalar overload";
            if (opt.find()) {
                if (!opt.group(1).trim().isEmpty()) {
                    continue;
                }
                problem = "graph-safe opt-out without a reason";
            }
            hits.add(new Hit(file, line, call.group(1), argument.replaceAll("\\s+", " "), problem));
        }
        return hits;
    }

    /**
     * True for a literal, a primitive cast, a primitive name, or arithmetic of those ({@code + - * / %}, unary
     * minus, parentheses). An argument with a top-level comma (two arguments) is not a scalar overload.
     */
    static boolean isPrimitiveNumber(String argument, Set<String> primitives) {
        if (argument.isEmpty()) {
            return false;
        }
        if (LEADING_CAST.matcher(argument).lookingAt()) {
            return true;
        }
        // casts inside arithmetic are transparent: 1 - (float) k is as primitive as 1 - k
        String rest = CAST.matcher(argument).replaceAll(" ");
        int depth = 0;
        int i = 0;
        while (i < rest.length()) {
            char ch = rest.charAt(i);
            if (Character.isWhitespace(ch) || "+-*/%".indexOf(ch) >= 0) {
                i++;
            } else if (ch == '(') {
                depth++;
                i++;
            } else if (ch == ')') {
                depth--;
                i++;
            } else if (ch == ',') {
                return false;
            } else if (Character.isDigit(ch) || ch == '.') {
                Matcher lit = LITERAL.matcher(rest).region(i, rest.length());
                if (!lit.lookingAt()) {
                    return false;
                }
                i = lit.end();
            } else if (Character.isJavaIdentifierStart(ch)) {
                int end = i;
                while (end < rest.length() && Character.isJavaIdentifierPart(rest.charAt(end))) {
                    end++;
                }
                if (!primitives.contains(rest.substring(i, end))) {
                    return false;
                }
                i = end;
            } else {
                return false;
            }
        }
        return depth == 0;
    }

    private static int closingParen(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char ch = code.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int lineOf(String code, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The source with comments, strings, text blocks and char literals replaced by spaces (newlines kept). */
    static String blank(String s) {
        StringBuilder out = new StringBuilder(s);
        int i = 0;
        while (i < s.length()) {
            int end;
            if (s.startsWith("//", i)) {
                end = s.indexOf('\n', i);
                end = end < 0 ? s.length() : end;
            } else if (s.startsWith("/*", i)) {
                end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? s.length() : end + 3;
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                char quote = s.charAt(i);
                end = i + 1;
                while (end < s.length() && s.charAt(end) != quote && s.charAt(end) != '\n') {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, s.length());
            } else {
                i++;
                continue;
            }
            for (int k = i; k < end; k++) {
                if (out.charAt(k) != '\n') {
                    out.setCharAt(k, ' ');
                }
            }
            i = end;
        }
        return out.toString();
    }
}
