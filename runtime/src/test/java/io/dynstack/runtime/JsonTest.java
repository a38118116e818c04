package io.dynstack.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The writer's layouts: compact, spaced, and with line breaks where the caller puts them. */
class JsonTest {

    @Test
    void compactByDefaultWithNullsAndDecimals() {
        String json = new Json().beginObject().member("n", 3).name("none").nullValue().member("s", (String) null)
                .member("two", 1.5).member("three", 2.0, 3).member("nan", Double.NaN, 4).name("empty").beginArray()
                .endArray().endObject().toString();
        assertEquals("{\"n\":3,\"none\":null,\"s\":null,\"two\":1.50,\"three\":2.000,\"nan\":null,\"empty\":[]}", json);
    }

    @Test
    void spacedPutsASpaceAfterColonsAndAfterCommasThatDoNotEndALine() {
        String json = Json.spaced().beginObject().newline(2).member("a", 1).newline(2).name("b").beginObject()
                .member("x", true).member("y", "z").endObject().newline(2).name("c").beginArray()
                .newline(4).value(1).newline(4).value(2).newline(2).endArray().newline(0).endObject().toString();
        assertEquals("""
                {
                  "a": 1,
                  "b": {"x": true, "y": "z"},
                  "c": [
                    1,
                    2
                  ]
                }""", json);
    }

    @Test
    void aLineBreakComesAfterTheCommaAndBeforeAClosingBracket() {
        String json = new Json().beginObject().member("a", 1).newline(0).member("b", 2).newline(0).name("c")
                .beginArray().newline(0).value("x").newline(0).value("y").newline(0).endArray().endObject().toString();
        assertEquals("{\"a\":1,\n\"b\":2,\n\"c\":[\n\"x\",\n\"y\"\n]}", json);
    }
}
