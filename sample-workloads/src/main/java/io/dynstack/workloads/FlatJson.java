package io.dynstack.workloads;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the one flat JSON object a cell prints: string, whole-number, boolean and null values. */
final class FlatJson {

    private final String text;
    private int at;

    private FlatJson(String text) {
        this.text = text;
    }

    static Map<String, Object> parse(String text) {
        return new FlatJson(text.strip()).object();
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        expect('{');
        if (peek() == '}') {
            at++;
            return members;
        }
        do {
            String name = string();
            expect(':');
            members.put(name, value());
        } while (next() == ',');
        at--;
        expect('}');
        return members;
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (text.startsWith("null", at)) {
            at += 4;
            return null;
        }
        if (text.startsWith("true", at) || text.startsWith("false", at)) {
            boolean b = text.startsWith("true", at);
            at += b ? 4 : 5;
            return b;
        }
        int start = at;
        while (at < text.length() && "-0123456789.".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        String number = text.substring(start, at);
        if (number.isEmpty()) {
            throw new IllegalArgumentException("unexpected '" + c + "' at " + start + " in " + text);
        }
        return number.contains(".") ? (Object) Double.parseDouble(number) : (Object) Long.parseLong(number);
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                char e = text.charAt(at++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> out.append(e);
                }
            } else {
                out.append(c);
            }
        }
    }

    private char peek() {
        return text.charAt(at);
    }

    private char next() {
        return text.charAt(at++);
    }

    private void expect(char c) {
        if (at >= text.length() || text.charAt(at) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at + " in " + text);
        }
        at++;
    }
}
