package io.dynstack.runtime;

/**
 * Just enough JSON writing for the project's files: objects, arrays, strings, numbers, in insertion
 * order. Compact unless asked: {@link #spaced} and {@link #newline} give the layouts that files
 * people read (a snapshot, the sweep's JSON) have always had.
 */
public final class Json {

    private final StringBuilder out = new StringBuilder();
    private final String colon;
    private final String comma;
    private boolean first = true;
    /** The line break and indent that the next member, value or closing bracket starts with, if any. */
    private String lineBreak;

    public Json() {
        this(":", ",");
    }

    private Json(String colon, String comma) {
        this.colon = colon;
        this.comma = comma;
    }

    /** A writer that puts a space after each colon and each comma that does not end a line. */
    public static Json spaced() {
        return new Json(": ", ", ");
    }

    /** Starts the next member, value or closing bracket on a new line, {@code indent} spaces in. */
    public Json newline(int indent) {
        lineBreak = "\n" + " ".repeat(indent);
        return this;
    }

    public Json beginObject() {
        separator();
        out.append('{');
        first = true;
        return this;
    }

    public Json endObject() {
        breakLine();
        out.append('}');
        first = false;
        return this;
    }

    public Json beginArray() {
        separator();
        out.append('[');
        first = true;
        return this;
    }

    public Json endArray() {
        breakLine();
        out.append(']');
        first = false;
        return this;
    }

    /** Starts a member; the value follows with a value method, beginObject or beginArray. */
    public Json name(String name) {
        separator();
        quote(name);
        out.append(colon);
        first = true;
        return this;
    }

    public Json value(long n) {
        separator();
        out.append(n);
        return this;
    }

    /** {@code d} with two decimals; NaN and the infinities, which JSON lacks, as null. */
    public Json value(double d) {
        return value(d, 2);
    }

    public Json value(double d, int decimals) {
        separator();
        out.append(Double.isFinite(d) ? String.format(java.util.Locale.ROOT, "%." + decimals + "f", d) : "null");
        return this;
    }

    public Json value(boolean b) {
        separator();
        out.append(b);
        return this;
    }

    public Json value(String s) {
        separator();
        if (s == null) {
            out.append("null");
        } else {
            quote(s);
        }
        return this;
    }

    public Json nullValue() {
        separator();
        out.append("null");
        return this;
    }

    public Json member(String name, long n) {
        return name(name).value(n);
    }

    public Json member(String name, double d) {
        return name(name).value(d);
    }

    public Json member(String name, double d, int decimals) {
        return name(name).value(d, decimals);
    }

    public Json member(String name, String s) {
        return name(name).value(s);
    }

    public Json member(String name, boolean b) {
        return name(name).value(b);
    }

    private void separator() {
        if (!first) {
            out.append(lineBreak == null ? comma : ",");
        }
        first = false;
        breakLine();
    }

    private void breakLine() {
        if (lineBreak != null) {
            out.append(lineBreak);
            lineBreak = null;
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
