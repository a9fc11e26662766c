package org.uso4j.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/**
 * A safetensors file, memory-mapped once: 8-byte little-endian header length N, N bytes of JSON
 * ({@code name: {dtype, shape, data_offsets: [begin, end]}} plus optional {@code __metadata__}), then the data.
 * Every header field is validated before any tensor is exposed; a tensor is a slice of the one mapping, so no
 * read can leave the file.
 */
public final class SafetensorsFile extends MappedCheckpoint {
    /** Headers larger than this are refused (the format's own reader uses 100 MB). */
    static final long MAX_HEADER_BYTES = 100L << 20;
    /** Largest accepted dimension and rank: anything beyond is an absurd or hostile header. */
    static final long MAX_DIM = Integer.MAX_VALUE;
    static final int MAX_RANK = 8;
    /** Most tensors one file may declare (real checkpoints hold a few thousand; a million empty ones is an attack). */
    static final int MAX_TENSORS = 1 << 17;
    /** Most {@code __metadata__} entries. */
    static final int MAX_METADATA = 1 << 12;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(1 << 24).build())
            .build());

    private final MemorySegment data;
    private final Map<String, long[]> offsets; // name -> [begin, end) relative to data
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Arena arena, MemorySegment data, Map<String, TensorEntry> entries,
                            Map<String, long[]> offsets, Map<String, String> metadata) {
        super(path, arena, entries);
        this.data = data;
        this.offsets = offsets;
        this.metadata = metadata;
    }

    /** Opens and validates {@code path}; throws {@link CheckpointException} naming the file on any defect. */
    public static SafetensorsFile open(Path path) { return MappedCheckpoint.open(path, SafetensorsFile::parse); }

    private static CheckpointException bad(Path path, String what) {
        return new CheckpointException(path + ": not a valid safetensors file: " + what);
    }

    private static SafetensorsFile parse(Path path, Arena arena, MemorySegment file) {
        long size = file.byteSize();
        if (size < 8) throw bad(path, "file is " + size + " bytes, shorter than the 8-byte header length");
        long n = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 2 || n > MAX_HEADER_BYTES) throw bad(path, "header length " + Long.toUnsignedString(n) + " is out of range");
        if (n > size - 8) throw bad(path, "header length " + n + " goes beyond the end of the file (" + size + " bytes): truncated?");
        String headerText = utf8(path, file.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE));
        MemorySegment data = file.asSlice(8 + n);
        long dataLen = data.byteSize();

        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        Map<String, long[]> offsets = new LinkedHashMap<>();
        // streamed one entry at a time: memory and time stay linear in the header, and the counts are bounded
        try (JsonParser p = JSON.createParser(headerText)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad(path, "header is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                JsonNode v = JSON.readTree(p);
                if (name.equals("__metadata__")) {
                    if (!v.isObject()) throw bad(path, "__metadata__ is not an object");
                    if (v.size() > MAX_METADATA) throw bad(path, "__metadata__ has " + v.size() + " entries (at most " + MAX_METADATA + ")");
                    v.fields().forEachRemaining(m -> {
                        if (!m.getValue().isTextual()) throw bad(path, "__metadata__." + m.getKey() + " is not a string");
                        metadata.put(m.getKey(), m.getValue().asText());
                    });
                    continue;
                }
                if (entries.size() == MAX_TENSORS) throw bad(path, "more than " + MAX_TENSORS + " tensors");
                readEntry(path, name, v, dataLen, entries, offsets);
            }
            if (p.currentToken() != JsonToken.END_OBJECT) throw bad(path, "header is not a JSON object");
            if (p.nextToken() != null) throw bad(path, "trailing data after the JSON header");
        } catch (IOException e) {
            throw bad(path, "header is not valid JSON (" + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ")");
        }
        checkNoOverlap(path, offsets);
        return new SafetensorsFile(path, arena, data, Collections.unmodifiableMap(entries), offsets,
                Collections.unmodifiableMap(metadata));
    }

    /** Validates one tensor entry {@code name: {dtype, shape, data_offsets}} and records it. */
    private static void readEntry(Path path, String name, JsonNode v, long dataLen, Map<String, TensorEntry> entries, Map<String, long[]> offsets) {
        if (!v.isObject()) throw bad(path, "entry '" + name + "' is not an object");
        JsonNode dt = v.get("dtype"), sh = v.get("shape"), off = v.get("data_offsets");
        if (dt == null || !dt.isTextual()) throw bad(path, "tensor '" + name + "' has no dtype");
        DType dtype = DType.fromSafetensors(dt.asText())
                .filter(d -> !d.isQuantized())
                .orElseThrow(() -> bad(path, "tensor '" + name + "' has unknown dtype '" + dt.asText() + "'"));
        if (sh == null || !sh.isArray()) throw bad(path, "tensor '" + name + "' has no shape array");
        if (sh.size() > MAX_RANK) throw bad(path, "tensor '" + name + "' has rank " + sh.size() + " (max " + MAX_RANK + ")");
        int[] dims = new int[sh.size()];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0 || d.asLong() > MAX_DIM) {
                throw bad(path, "tensor '" + name + "' has an absurd dimension " + d);
            }
            dims[i] = (int) d.asLong();
            numel = multiplyOrFail(path, name, numel, dims[i]);
        }
        long bytes = multiplyOrFail(path, name, numel, dtype.bytesPerBlock());
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()
                || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
            throw bad(path, "tensor '" + name + "' has no valid data_offsets [begin, end]");
        }
        long b = off.get(0).asLong(), en = off.get(1).asLong();
        if (b < 0 || en < b || en > dataLen) {
            throw bad(path, "tensor '" + name + "' data_offsets [" + b + ", " + en + "] are outside the data section (" + dataLen + " bytes)");
        }
        if (en - b != bytes) {
            throw bad(path, "tensor '" + name + "' data_offsets span " + (en - b) + " bytes but " + dtype
                    + " " + Shape.of(dims) + " needs " + bytes);
        }
        entries.put(name, new TensorEntry(name, dtype, Shape.of(dims), path.getFileName().toString()));
        offsets.put(name, new long[]{b, en});
    }

    /** The header as text; the format requires UTF-8, so any malformed byte is refused (not replaced by U+FFFD). */
    private static String utf8(Path path, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw bad(path, "header is not valid UTF-8 (" + e.getMessage() + ")");
        }
    }

    private static long multiplyOrFail(Path path, String name, long a, long b) {
        try {
            long r = Math.multiplyExact(a, b);
            if (r > (1L << 48)) throw new ArithmeticException();
            return r;
        } catch (ArithmeticException e) {
            throw bad(path, "tensor '" + name + "' is absurdly large");
        }
    }

    private static void checkNoOverlap(Path path, Map<String, long[]> offsets) {
        List<Map.Entry<String, long[]>> list = new ArrayList<>(offsets.entrySet());
        list.removeIf(e -> e.getValue()[0] == e.getValue()[1]); // empty tensors occupy nothing
        list.sort((x, y) -> Long.compare(x.getValue()[0], y.getValue()[0]));
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i).getValue()[0] < list.get(i - 1).getValue()[1]) {
                throw bad(path, "tensors '" + list.get(i - 1).getKey() + "' and '" + list.get(i).getKey() + "' overlap");
            }
        }
    }

    @Override public Tensor tensor(String name) {
        TensorEntry e = entry(name);
        long[] o = offsets.get(name);
        return Tensor.of(e.dtype(), e.shape(), data.asSlice(o[0], o[1] - o[0]));
    }

    @Override public Map<String, String> metadata() { return metadata; }
}
