package org.uso4j.core.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.uso4j.core.Tensor;

/**
 * Writes tensors (in their stored dtype) as a safetensors file: header padded with spaces to a multiple of 8,
 * data in map order. Written to a temporary name and moved into place, so no partial file carries the final name.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {}

    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode md = header.putObject("__metadata__");
            metadata.forEach(md::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            String dtype = t.dtype().isQuantized() ? null : t.dtype().name();
            if (dtype == null) throw new IllegalArgumentException("safetensors cannot hold " + t.dtype() + " tensor '" + e.getKey() + "'");
            ObjectNode o = header.putObject(e.getKey());
            o.put("dtype", dtype);
            ArrayNode shape = o.putArray("shape");
            for (int d : t.dims()) shape.add(d);
            long n = t.segment().byteSize();
            o.putArray("data_offsets").add(offset).add(offset + n);
            offset += n;
        }
        byte[] h = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        Path tmp = path.resolveSibling(path.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(h);
            for (int i = h.length; i < padded; i++) out.write(' ');
            for (Tensor t : tensors.values()) out.write(t.segment().toArray(ValueLayout.JAVA_BYTE));
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
