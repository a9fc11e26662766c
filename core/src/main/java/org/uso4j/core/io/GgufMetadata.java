package org.uso4j.core.io;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key/value section of a GGUF file (gguf.cpp {@code gguf_type}): scalars, strings and one-level arrays,
 * read with every length bounded by the bytes left in the file. Values keep their GGUF type; arrays keep a
 * primitive backing array (a 237 539-byte {@code precompiled_charsmap} stays a {@code byte[]}).
 */
final class GgufMetadata {
    static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7,
            STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;
    private static final String[] TYPE_NAMES = {"u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"};
    /** Bytes per element (strings: at least their 8-byte length). */
    private static final int[] SIZES = {1, 1, 2, 2, 4, 4, 4, 1, 8, 12, 8, 8, 8};
    /** Arrays up to this many elements are rendered in full by {@link #rendered()}. */
    private static final int RENDER_MAX = 8;

    /** An array value: element type and backing store (long[], double[], boolean[], byte[] for u8/i8, String[]). */
    private record Arr(int elemType, int length, Object data) {}

    private final Path path;
    private final Map<String, Integer> types = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    private GgufMetadata(Path path) { this.path = path; }

    static GgufMetadata read(GgufCursor in, int count) {
        GgufMetadata md = new GgufMetadata(in.path());
        for (int i = 0; i < count; i++) {
            String key = in.string("key #" + i);
            if (md.values.containsKey(key)) throw GgufFile.bad(in.path(), "key '" + key + "' appears twice");
            int type = in.i32("type of key '" + key + "'");
            Object v = type == ARRAY ? readArray(in, key) : readScalar(in, type, "key '" + key + "'");
            md.types.put(key, type);
            md.values.put(key, v);
        }
        return md;
    }

    private static void checkType(GgufCursor in, int type, String what) {
        if (type < 0 || type >= TYPE_NAMES.length) throw GgufFile.bad(in.path(), what + " has unknown value type " + Integer.toUnsignedString(type));
    }

    private static Object readScalar(GgufCursor in, int type, String what) {
        checkType(in, type, what);
        return switch (type) {
            case UINT8 -> (long) (in.i8(what) & 0xFF);
            case INT8 -> (long) in.i8(what);
            case UINT16 -> (long) (in.i16(what) & 0xFFFF);
            case INT16 -> (long) in.i16(what);
            case UINT32 -> in.i32(what) & 0xFFFFFFFFL;
            case INT32 -> (long) in.i32(what);
            case UINT64, INT64 -> in.u64(what);
            case FLOAT32 -> (double) Float.intBitsToFloat(in.i32(what));
            case FLOAT64 -> Double.longBitsToDouble(in.u64(what));
            case BOOL -> readBool(in, what);
            case STRING -> in.string(what, false);
            default -> throw GgufFile.bad(in.path(), what + " is a nested array (not supported)");
        };
    }

    private static boolean readBool(GgufCursor in, String what) {
        byte b = in.i8(what);
        if (b != 0 && b != 1) throw GgufFile.bad(in.path(), what + " is a bool with value " + b);
        return b == 1;
    }

    private static Arr readArray(GgufCursor in, String key) {
        String what = "array '" + key + "'";
        int et = in.i32(what + " element type");
        checkType(in, et, what);
        if (et == ARRAY) throw GgufFile.bad(in.path(), what + " is an array of arrays (not supported)");
        long n = in.u64(what + " length");
        if (n < 0 || n > Integer.MAX_VALUE - 8 || n > in.remaining() / SIZES[et]) {
            throw GgufFile.bad(in.path(), what + " has length " + Long.toUnsignedString(n) + ", more than the " + in.remaining() + " bytes left allow");
        }
        int len = (int) n;
        Object data = switch (et) {
            case UINT8, INT8 -> in.bytes(len, what);
            case BOOL -> { boolean[] a = new boolean[len]; for (int i = 0; i < len; i++) a[i] = readBool(in, what); yield a; }
            case STRING -> { String[] a = new String[len]; for (int i = 0; i < len; i++) a[i] = in.string(what + "[" + i + "]", false); yield a; }
            case FLOAT32, FLOAT64 -> { double[] a = new double[len]; for (int i = 0; i < len; i++) a[i] = (Double) readScalar(in, et, what); yield a; }
            default -> { long[] a = new long[len]; for (int i = 0; i < len; i++) a[i] = (Long) readScalar(in, et, what); yield a; }
        };
        return new Arr(et, len, data);
    }

    Set<String> keys() { return Collections.unmodifiableSet(values.keySet()); }

    boolean has(String key) { return values.containsKey(key); }

    int type(String key) { require(key); return types.get(key); }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) throw new CheckpointException(path + ": no GGUF key '" + key + "'");
        return v;
    }

    private CheckpointException wrongType(String key, String expected) {
        int t = types.get(key);
        String found = t == ARRAY ? "array of " + TYPE_NAMES[((Arr) values.get(key)).elemType()] : TYPE_NAMES[t];
        return new CheckpointException(path + ": GGUF key '" + key + "' is " + found + ", expected " + expected);
    }

    /** Java value: Long, Double, String, Boolean, or an unmodifiable List of those. */
    Object get(String key) {
        Object v = require(key);
        return v instanceof Arr a ? asList(a) : v;
    }

    long getLong(String key) {
        if (require(key) instanceof Long l) return l;
        throw wrongType(key, "an integer");
    }

    double getDouble(String key) {
        Object v = require(key);
        if (v instanceof Double d) return d;
        if (v instanceof Long l) return l;
        throw wrongType(key, "a number");
    }

    String getString(String key) {
        if (require(key) instanceof String s) return s;
        throw wrongType(key, "a string");
    }

    boolean getBool(String key) {
        if (require(key) instanceof Boolean b) return b;
        throw wrongType(key, "a bool");
    }

    List<String> getStrings(String key) {
        if (require(key) instanceof Arr a && a.data() instanceof String[] s) return List.of(s);
        throw wrongType(key, "an array of strings");
    }

    float[] getFloats(String key) {
        if (require(key) instanceof Arr a && a.data() instanceof double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
            return f;
        }
        throw wrongType(key, "an array of floats");
    }

    long[] getLongs(String key) {
        if (require(key) instanceof Arr a) {
            if (a.data() instanceof long[] l) return l.clone();
            if (a.data() instanceof byte[] b) {
                long[] l = new long[b.length];
                for (int i = 0; i < b.length; i++) l[i] = a.elemType() == UINT8 ? b[i] & 0xFF : b[i];
                return l;
            }
        }
        throw wrongType(key, "an array of integers");
    }

    byte[] getBytes(String key) {
        if (require(key) instanceof Arr a && a.data() instanceof byte[] b) return b.clone();
        throw wrongType(key, "an array of u8/i8");
    }

    private static List<Object> asList(Arr a) {
        return Collections.unmodifiableList(new AbstractList<>() {
            @Override public int size() { return a.length(); }
            @Override public Object get(int i) {
                Object d = a.data();
                if (d instanceof long[] l) return l[i];
                if (d instanceof double[] x) return x[i];
                if (d instanceof boolean[] b) return b[i];
                if (d instanceof String[] s) return s[i];
                byte b = ((byte[]) d)[i];
                return a.elemType() == UINT8 ? (long) (b & 0xFF) : (long) b;
            }
        });
    }

    /** Each key/value as a string; long arrays summarised as "[32128 strings]" or "[237539 u8 values]". */
    Map<String, String> rendered() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            int t = types.get(e.getKey());
            out.put(e.getKey(), render(t, e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    private static String render(int type, Object v) {
        if (v instanceof Arr a) {
            if (a.length() > RENDER_MAX) {
                return "[" + a.length() + (a.elemType() == STRING ? " strings]" : " " + TYPE_NAMES[a.elemType()] + " values]");
            }
            List<Object> l = asList(a);
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(render(a.elemType(), l.get(i)));
            }
            return sb.append(']').toString();
        }
        if (type == UINT64) return Long.toUnsignedString((Long) v);
        if (type == FLOAT32) return Float.toString(((Double) v).floatValue());
        return String.valueOf(v);
    }

    @Override public String toString() { return "GGUF metadata " + Arrays.toString(values.keySet().toArray()); }
}
