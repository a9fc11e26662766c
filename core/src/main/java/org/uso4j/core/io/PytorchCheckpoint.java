package org.uso4j.core.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/**
 * A {@code torch.save} checkpoint ({@code pytorch_model.bin}, {@code .pt}, {@code .pth}, {@code .ckpt}) read without
 * running Python or any of its code. The file is a zip archive (records stored uncompressed) holding
 * {@code <archive>/data.pkl} (a pickle of the state dict), {@code <archive>/data/<key>} (one record per storage) and
 * {@code <archive>/version}. The pickle is interpreted by {@link TorchPickle}, which accepts only tensors rebuilt
 * by {@code torch._utils._rebuild_tensor_v2} over {@code torch.*Storage} persistent ids, (ordered) dicts, lists,
 * tuples and primitives, and refuses everything else. Tensors are zero-copy views of the mapped storage records;
 * several tensors may share one storage (T5: {@code shared.weight} = {@code encoder.embed_tokens.weight}).
 *
 * <p>Which tensors are exposed: if the pickled root dict has tensor values, those (a plain state dict). Otherwise
 * a training checkpoint is expected: exactly one of the keys {@link #STATE_DICT_KEYS} must hold a dict with tensor
 * values, and its tensors are exposed under their own names (CSD: {@code {'model_state_dict': OrderedDict(
 * 'module.backbone...': tensor)}} exposes {@code module.backbone...}). Non-tensor values are skipped; top-level
 * scalars ({@code epoch}, {@code iter}) appear in {@link #metadata()}. Tensors nested deeper (optimizer states) are
 * never exposed. Only contiguous row-major tensors are accepted.
 */
public final class PytorchCheckpoint extends MappedCheckpoint {
    /** Keys under which training checkpoints keep the model state dict, in the order they are tried. */
    public static final List<String> STATE_DICT_KEYS = List.of("state_dict", "model_state_dict", "model", "module");
    /** A data.pkl larger than this is not a state dict (a full T5-XXL one is about 100 kB). */
    static final long MAX_PICKLE_BYTES = 1L << 30;

    private final Map<String, TorchPickle.TensorRef> refs;
    private final Map<String, String> metadata;

    private PytorchCheckpoint(Path path, Arena arena, Map<String, TensorEntry> entries,
                              Map<String, TorchPickle.TensorRef> refs, Map<String, String> metadata) {
        super(path, arena, entries);
        this.refs = refs;
        this.metadata = metadata;
    }

    /** Opens and validates {@code path}; throws {@link CheckpointException} naming the file on any defect. */
    public static PytorchCheckpoint open(Path path) { return MappedCheckpoint.open(path, PytorchCheckpoint::parse); }

    /** Reads an archive already in memory (tests); the segment must stay valid while the checkpoint is used. */
    static PytorchCheckpoint parse(Path path, Arena arena, MemorySegment file) {
        String src = path.toString();
        if (file.byteSize() >= 2 && file.get(ValueLayout.JAVA_BYTE, 0) == (byte) 0x80) {
            throw new CheckpointException(src + ": legacy (pre-1.6, non-zip) torch.save format is not supported;"
                    + " re-save it with a current torch or convert it to safetensors");
        }
        if (file.byteSize() < 4 || file.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0) != 0x04034b50) {
            throw new CheckpointException(src + ": not a PyTorch checkpoint (no zip signature at the start)");
        }
        ZipIndex zip = ZipIndex.read(src, file);
        String prefix = archivePrefix(src, zip);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pytorch");
        for (String v : List.of("version", ".data/version")) {
            if (zip.contains(prefix + v)) metadata.put("pytorch.version", text(zip, prefix + v));
        }
        if (zip.contains(prefix + "byteorder") && !text(zip, prefix + "byteorder").equals("little")) {
            throw new CheckpointException(src + ": byteorder '" + text(zip, prefix + "byteorder") + "' is not supported (little only)");
        }
        byte[] pickle = zip.readChecked(prefix + "data.pkl", MAX_PICKLE_BYTES);
        Map<String, TorchPickle.Storage> storages = new HashMap<>();
        TorchPickle.StorageResolver resolver = (key, dtype, numel, location) -> {
            TorchPickle.Storage s = storages.get(key);
            if (s == null) {
                String record = prefix + "data/" + key;
                if (!zip.contains(record)) throw new CheckpointException("persistent id names missing record '" + record + "'");
                MemorySegment bytes = zip.record(record);
                long need;
                try {
                    need = dtype.byteSize(numel);
                } catch (ArithmeticException e) {
                    throw new CheckpointException("storage '" + key + "' of " + numel + " elements is absurdly large");
                }
                if (bytes.byteSize() != need) {
                    throw new CheckpointException("storage '" + key + "' is " + numel + " " + dtype + " elements (" + need
                            + " bytes) but record '" + record + "' holds " + bytes.byteSize() + " bytes");
                }
                s = new TorchPickle.Storage(key, dtype, numel, bytes);
                storages.put(key, s);
            } else if (s.dtype() != dtype || s.numel() != numel) {
                throw new CheckpointException("storage '" + key + "' is referenced as both " + s.numel() + " " + s.dtype()
                        + " and " + numel + " " + dtype);
            }
            return s;
        };
        Object root = TorchPickle.load(src + " " + prefix + "data.pkl", pickle, resolver);
        Map<String, TorchPickle.TensorRef> refs = selectTensors(src, root, metadata);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        String fileName = path.getFileName() == null ? src : path.getFileName().toString();
        refs.forEach((name, r) -> entries.put(name, new TensorEntry(name, r.dtype(), Shape.of(r.dims()), fileName)));
        return new PytorchCheckpoint(path, arena, Collections.unmodifiableMap(entries), refs,
                Collections.unmodifiableMap(metadata));
    }

    /** {@code <archive>/} of the one {@code <archive>/data.pkl} record (the folder name varies: do not assume it). */
    private static String archivePrefix(String src, ZipIndex zip) {
        List<String> pickles = new ArrayList<>();
        for (String name : zip.records().keySet()) {
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) pickles.add(name);
        }
        if (pickles.size() != 1) {
            throw new CheckpointException(src + ": expected one <archive>/data.pkl record, found " + pickles
                    + " (not a torch.save archive?)");
        }
        String p = pickles.get(0);
        return p.substring(0, p.length() - "data.pkl".length());
    }

    private static String text(ZipIndex zip, String record) {
        return new String(zip.readChecked(record, 4096), StandardCharsets.UTF_8).strip();
    }

    /** The state dict's tensors: the root's own, or those of the one known state-dict key (see class doc). */
    private static Map<String, TorchPickle.TensorRef> selectTensors(String src, Object root, Map<String, String> metadata) {
        if (!(root instanceof TorchPickle.Dict top)) {
            throw new CheckpointException(src + ": the pickled object is a " + TorchPickle.describe(root) + ", not a state dict");
        }
        Map<String, TorchPickle.TensorRef> tensors = tensorsOf(src, top, "");
        if (!tensors.isEmpty()) return tensors;
        List<String> holders = new ArrayList<>();
        for (String key : STATE_DICT_KEYS) {
            if (top.get(key) instanceof TorchPickle.Dict d && !tensorsOf(src, d, key + ".").isEmpty()) holders.add(key);
        }
        if (holders.size() != 1) {
            List<String> keys = top.keySet().stream().map(String::valueOf).toList();
            throw new CheckpointException(src + ": no state dict found: the root dict has no tensors and "
                    + (holders.isEmpty() ? "none" : "several (" + holders + ")") + " of the keys " + STATE_DICT_KEYS
                    + " hold a dict of tensors; top-level keys: " + keys);
        }
        top.forEach((k, v) -> {
            if (k instanceof String s && (v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean)) {
                metadata.put(s, v.toString());
            }
        });
        metadata.put("pytorch.state_dict_key", holders.get(0));
        return tensorsOf(src, (TorchPickle.Dict) top.get(holders.get(0)), holders.get(0) + ".");
    }

    private static Map<String, TorchPickle.TensorRef> tensorsOf(String src, TorchPickle.Dict dict, String where) {
        Map<String, TorchPickle.TensorRef> out = new LinkedHashMap<>();
        dict.forEach((k, v) -> {
            if (v instanceof TorchPickle.TensorRef t) {
                if (!(k instanceof String name)) {
                    throw new CheckpointException(src + ": tensor under a " + TorchPickle.describe(k) + " key in " + where + "state dict");
                }
                out.put(name, t);
            }
        });
        return out;
    }

    @Override public Tensor tensor(String name) {
        TensorEntry e = entry(name);
        return Tensor.of(e.dtype(), e.shape(), refs.get(name).bytes());
    }

    /** {@code format}, {@code pytorch.version}, and for training checkpoints the state-dict key and top-level scalars. */
    @Override public Map<String, String> metadata() { return metadata; }

    /** The storage key behind a tensor (tensors sharing a storage share a key); for tests and inspection. */
    String storageKey(String name) {
        entry(name);
        return refs.get(name).storage().key();
    }
}
