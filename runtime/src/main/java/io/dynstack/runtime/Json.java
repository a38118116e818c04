package io.dynstack.runtime;

/** Just enough JSON writing for the reports: objects, arrays, strings, numbers, in insertion order. */
public final class Json {

    private final StringBuilder out = new StringBuilder();
    private boolean first = true;

    public Json beginObject() {
        separator();
        out.append('{');
        first = true;
        return this;
    }

    public Json endObject() {
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
        out.append(']');
        first = false;
        return this;
    }

    /** Starts a member; the value follows with a value method, beginObject or beginArray. */
    public Json name(String name) {
        separator();
        quote(name);
        out.append(':');
        first = true;
        return this;
    }

    public Json value(long n) {
        separator();
        out.append(n);
        return this;
    }

    public Json value(double d) {
        separator();
        out.append(Double.isFinite(d) ? String.format(java.util.Locale.ROOT, "%.2f", d) : "null");
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

    public Json member(String name, long n) {
        return name(name).value(n);
    }

    public Json member(String name, double d) {
        return name(name).value(d);
    }

    public Json member(String name, String s) {
        return name(name).value(s);
    }

    public Json member(String name, boolean b) {
        return name(name).value(b);
    }

    private void separator() {
        if (!first) {
            out.append(',');
        }
        first = false;
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
