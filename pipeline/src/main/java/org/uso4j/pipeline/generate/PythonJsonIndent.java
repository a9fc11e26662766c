package org.uso4j.pipeline.generate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;

/** Pretty printing like Python's {@code json.dump(obj, f, indent=4)}: 4 spaces, {@code "key": value}, no space before colons. */
final class PythonJsonIndent extends DefaultPrettyPrinter {
    PythonJsonIndent() {
        DefaultIndenter four = new DefaultIndenter("    ", "\n");
        indentObjectsWith(four);
        indentArraysWith(four);
    }

    private PythonJsonIndent(PythonJsonIndent base) { super(base); }

    @Override public DefaultPrettyPrinter createInstance() { return new PythonJsonIndent(this); }

    @Override public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException { g.writeRaw(": "); }

    @Override public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
        if (nrOfValues == 0) {
            if (!_arrayIndenter.isInline()) --_nesting;
            g.writeRaw(']');
            return;
        }
        super.writeEndArray(g, nrOfValues);
    }

    @Override public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
        if (nrOfEntries == 0) {
            if (!_objectIndenter.isInline()) --_nesting;
            g.writeRaw('}');
            return;
        }
        super.writeEndObject(g, nrOfEntries);
    }
}
