package org.uso4j.core.io;

import java.util.Map;
import java.util.HashMap;
import org.uso4j.core.DType;

/**
 * The whitelist of pickle globals {@link TorchPickle} accepts, as inert markers: naming one never imports or calls
 * anything; only REDUCE/NEWOBJ of the few kinds below are interpreted, by hand. {@code dtype} is set for storages.
 */
record PickleGlobal(String module, String name, Kind kind, DType dtype) {
    enum Kind { ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_PARAMETER, STORAGE, NAMESPACE }

    private static final Map<String, PickleGlobal> ALLOWED = new HashMap<>();

    static {
        allow("collections", "OrderedDict", Kind.ORDERED_DICT, null);
        allow("torch._utils", "_rebuild_tensor_v2", Kind.REBUILD_TENSOR_V2, null);
        allow("torch._utils", "_rebuild_parameter", Kind.REBUILD_PARAMETER, null);
        // Training checkpoints keep their command line under 'args' (CSD train_csd.py): attributes only.
        allow("argparse", "Namespace", Kind.NAMESPACE, null);
        // torch/storage.py typed storage classes, as torch pickles them (module "torch").
        Object[][] storages = {{"FloatStorage", DType.F32}, {"HalfStorage", DType.F16}, {"BFloat16Storage", DType.BF16},
            {"DoubleStorage", DType.F64}, {"LongStorage", DType.I64}, {"IntStorage", DType.I32},
            {"ShortStorage", DType.I16}, {"CharStorage", DType.I8}, {"ByteStorage", DType.U8},
            {"BoolStorage", DType.BOOL}, {"Float8_e4m3fnStorage", DType.F8_E4M3}, {"Float8_e5m2Storage", DType.F8_E5M2},
            // torch >= 2.0 pickles a bare UntypedStorage with numel in bytes (persistent_id: dtype uint8).
            {"UntypedStorage", DType.U8}};
        for (Object[] s : storages) allow("torch", (String) s[0], Kind.STORAGE, (DType) s[1]);
    }

    private static void allow(String module, String name, Kind kind, DType dtype) {
        ALLOWED.put(module + "\n" + name, new PickleGlobal(module, name, kind, dtype));
    }

    /** The allowed global {@code module.name}, or null. */
    static PickleGlobal find(String module, String name) { return ALLOWED.get(module + "\n" + name); }

    @Override public String toString() { return module + "." + name; }
}
