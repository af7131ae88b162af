package org.semiseg.config;

import com.fasterxml.jackson.databind.JsonMappingException;

import java.util.List;
import java.util.stream.Collectors;

/** One-line wording of Jackson's problems with a config: the key's path and what was expected there. */
final class ConfigErrors {
    private ConfigErrors() {
    }

    static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    static String typeProblem(JsonMappingException e) {
        String msg = firstLine(e.getOriginalMessage());
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mi && mi.getTargetType() != null) {
            // the value, without Jackson's wording about coercion settings
            Object value = null;
            if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException bad) {
                value = bad.getValue();
            } else {
                java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("\\(\"([^\"]*)\"\\)").matcher(msg);
                if (quoted.find()) {
                    value = quoted.group(1);
                }
            }
            return "expected " + typeName(mi.getTargetType()) + (value != null ? " (got '" + value + "')" : "");
        }
        return msg;
    }

    static String typeName(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping";
    }

    static String firstLine(String text) {
        if (text == null) {
            return "unknown problem";
        }
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).trim();
    }
}
