package org.uso4j.app.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The scalar fields of a job request, typed and checked, from a JSON object or from form fields. */
sealed interface Fields permits Fields.OfJson, Fields.OfForm {
    /** Present and not null (JSON) / not empty (form). */
    boolean has(String name);

    int integer(String name);

    long integer64(String name);

    float number(String name);

    String text(String name);

    /** Fields of a JSON object: numbers must be JSON numbers, integers must be whole and in range. */
    record OfJson(JsonNode root) implements Fields {
        @Override public boolean has(String name) { return root.hasNonNull(name); }

        @Override public int integer(String name) {
            long v = integer64(name);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw ApiException.badRequest(name, name + ": out of range, got " + v);
            return (int) v;
        }

        @Override public long integer64(String name) {
            JsonNode n = root.get(name);
            if (n.isIntegralNumber() && n.canConvertToLong()) return n.asLong();
            if (n.isNumber() && !n.isIntegralNumber() && n.asDouble() == Math.rint(n.asDouble()) && Math.abs(n.asDouble()) < 0x1p53) return (long) n.asDouble();
            if (n.isIntegralNumber()) throw ApiException.badRequest(name, name + ": out of range, got " + n.asText());
            throw ApiException.badRequest(name, name + ": must be an integer, got " + JobRequestReader.kind(n) + (n.isValueNode() ? " (" + n.asText() + ")" : ""));
        }

        @Override public float number(String name) {
            JsonNode n = root.get(name);
            if (!n.isNumber()) throw ApiException.badRequest(name, name + ": must be a number, got " + JobRequestReader.kind(n));
            return (float) n.asDouble();
        }

        @Override public String text(String name) {
            JsonNode n = root.get(name);
            if (!n.isTextual()) throw ApiException.badRequest(name, name + ": must be a string, got " + JobRequestReader.kind(n));
            return n.asText();
        }
    }

    /** Multipart/form fields: each given once; numbers parsed from their text. */
    record OfForm(Map<String, List<String>> form) implements Fields {
        @Override public boolean has(String name) {
            List<String> v = form.get(name);
            return v != null && !v.isEmpty() && !(v.size() == 1 && v.get(0).isBlank());
        }

        @Override public int integer(String name) {
            String t = text(name).trim();
            try {
                return Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(name, name + ": must be an integer, got '" + t + "'");
            }
        }

        @Override public long integer64(String name) {
            String t = text(name).trim();
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(name, name + ": must be an integer, got '" + t + "'");
            }
        }

        @Override public float number(String name) {
            String t = text(name).trim();
            try {
                float v = Float.parseFloat(t);
                if (!Float.isFinite(v)) throw new NumberFormatException();
                return v;
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(name, name + ": must be a number, got '" + t + "'");
            }
        }

        @Override public String text(String name) {
            List<String> v = form.get(name);
            if (v.size() > 1) throw ApiException.badRequest(name, name + ": given " + v.size() + " times");
            return v.get(0);
        }
    }
}
