package org.uso4j.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.uso4j.core.Tensor;

/**
 * A sharded safetensors checkpoint: {@code *.safetensors.index.json} = {@code {"metadata": {...},
 * "weight_map": {name: shard file}}}. Each shard is opened (mapped) once; the index and the shards must agree
 * exactly: a listed tensor missing from its shard or a shard tensor not listed is an error.
 */
public final class ShardedCheckpoint implements Checkpoint {
    private final Path index;
    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> owner;
    private final Map<String, String> metadata;

    private ShardedCheckpoint(Path index, List<SafetensorsFile> shards, Map<String, SafetensorsFile> owner, Map<String, String> metadata) {
        this.index = index;
        this.shards = shards;
        this.owner = owner;
        this.metadata = metadata;
    }

    public static ShardedCheckpoint open(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(index));
        } catch (IOException e) {
            throw new CheckpointException(index + ": cannot read shard index: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) throw new CheckpointException(index + ": shard index has no \"weight_map\" object");
        Map<String, String> wanted = new LinkedHashMap<>();
        Set<String> shardNames = new LinkedHashSet<>();
        map.fields().forEachRemaining(e -> {
            String shard = e.getValue().asText();
            Path p = Path.of(shard);
            if (!e.getValue().isTextual() || p.isAbsolute() || p.getNameCount() != 1 || shard.equals("..") || shard.equals(".")) {
                throw new CheckpointException(index + ": weight_map entry '" + e.getKey() + "' names an invalid shard '" + shard + "'");
            }
            wanted.put(e.getKey(), shard);
            shardNames.add(shard);
        });
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode md = root.get("metadata");
        if (md != null && md.isObject()) md.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));

        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
            for (String s : shardNames) {
                Path sp = index.resolveSibling(s);
                if (!Files.isRegularFile(sp)) throw new CheckpointException(index + ": shard '" + s + "' is missing (looked for " + sp + ")");
                SafetensorsFile f = SafetensorsFile.open(sp);
                opened.add(f);
                byName.put(s, f);
            }
            Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : wanted.entrySet()) {
                SafetensorsFile f = byName.get(e.getValue());
                if (!f.contains(e.getKey())) {
                    throw new CheckpointException(index + ": tensor '" + e.getKey() + "' is listed in shard '" + e.getValue() + "' but not found there");
                }
                owner.put(e.getKey(), f);
            }
            for (SafetensorsFile f : opened) {
                for (String n : f.names()) {
                    if (!wanted.containsKey(n)) throw new CheckpointException(f.path() + ": tensor '" + n + "' is not listed in " + index.getFileName());
                }
            }
            return new ShardedCheckpoint(index, List.copyOf(opened), Collections.unmodifiableMap(owner), Collections.unmodifiableMap(metadata));
        } catch (RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    @Override public String source() { return index.toString(); }
    @Override public Set<String> names() { return owner.keySet(); }

    @Override public Collection<TensorEntry> entries() {
        List<TensorEntry> out = new ArrayList<>();
        for (Map.Entry<String, SafetensorsFile> e : owner.entrySet()) out.add(e.getValue().entry(e.getKey()));
        return out;
    }

    @Override public TensorEntry entry(String name) { return shardOf(name).entry(name); }
    @Override public Tensor tensor(String name) { return shardOf(name).tensor(name); }

    private SafetensorsFile shardOf(String name) {
        SafetensorsFile f = owner.get(name);
        if (f == null) throw new CheckpointException(index + ": no tensor '" + name + "'");
        return f;
    }

    @Override public Map<String, String> metadata() { return metadata; }
    @Override public void close() { shards.forEach(SafetensorsFile::close); }
}
