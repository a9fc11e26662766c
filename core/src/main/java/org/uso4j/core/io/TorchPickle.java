package org.uso4j.core.io;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uso4j.core.DType;

/**
 * A restricted pickle interpreter for the {@code data.pkl} record of a {@code torch.save} archive. It builds plain
 * values (str, int, float, bool, None, tuple, list, dict, OrderedDict), storages named by persistent ids and tensors
 * rebuilt by {@code torch._utils._rebuild_tensor_v2} / {@code _rebuild_parameter}: nothing is ever imported or called.
 * Every other opcode or global is refused naming it; sizes, marks, stack and memo are bounded. Written from the
 * pickle opcode definitions (CPython {@code Lib/pickletools.py}) and torch {@code serialization.py}'s
 * {@code persistent_id}: {@code ('storage', torch.FloatStorage, key, location, numel)}.
 */
final class TorchPickle {
    static final int MAX_MARK_DEPTH = 64;
    static final int MAX_STACK = 1 << 20;
    static final int MAX_MEMO = 1 << 22;
    static final int MAX_RANK = 8;
    private static final int MAX_GLOBAL_LINE = 256;

    /** Python None: Java collections here hold it as a marker rather than null. */
    enum None { NONE }

    record Tuple(List<Object> items) {
        Object get(int i) { return items.get(i); }
        int size() { return items.size(); }
    }

    /** dict or collections.OrderedDict (keys: str, int, float, bool, None only, so hashing never recurses). */
    static final class Dict extends LinkedHashMap<Object, Object> {
        final boolean ordered;
        Dict(boolean ordered) { this.ordered = ordered; }
    }

    /** argparse.Namespace (training checkpoints store their command line under {@code args}): attributes only. */
    static final class Namespace extends LinkedHashMap<Object, Object> {}

    /** A storage record {@code <archive>/data/<key>}: {@code numel} elements of {@code dtype}, bytes mapped. */
    record Storage(String key, DType dtype, long numel, MemorySegment bytes) {}

    /** What a persistent id resolves to; {@code PytorchCheckpoint} supplies it from the archive's records. */
    interface StorageResolver { Storage storage(String key, DType dtype, long numel, String location); }

    /** The tensor a {@code _rebuild_tensor_v2} call describes: element offset into a storage, contiguous dims. */
    record TensorRef(Storage storage, long offset, int[] dims) {
        DType dtype() { return storage.dtype(); }
        long numel() { long n = 1; for (int d : dims) n *= d; return n; }
        /** The tensor's bytes: a view of the storage, no copy. */
        MemorySegment bytes() {
            long es = storage.dtype().bytesPerBlock();
            return storage.bytes().asSlice(offset * es, numel() * es);
        }
    }

    private final String source;
    private final byte[] in;
    private final StorageResolver resolver;
    private int pos;
    private int opAt;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private TorchPickle(String source, byte[] in, StorageResolver resolver) {
        this.source = source;
        this.in = in;
        this.resolver = resolver;
    }

    /** Interprets {@code pickle}; {@code source} names the record in messages. Returns the unpickled root. */
    static Object load(String source, byte[] pickle, StorageResolver resolver) {
        return new TorchPickle(source, pickle, resolver).run();
    }

    private Object run() {
        while (true) {
            opAt = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> { int v = u8(); if (v < 2 || v > 5) throw fail("unsupported pickle protocol " + v); } // PROTO
                case 0x95 -> skip(8); // FRAME (protocol 4): a length prefix only
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) throw fail("STOP with " + stack.size() + " values on the stack");
                    return stack.get(0);
                }
                case '(' -> { // MARK
                    if (marks.size() >= MAX_MARK_DEPTH) throw fail("nesting deeper than " + MAX_MARK_DEPTH);
                    marks.add(stack.size());
                }
                case '}' -> push(new Dict(false));
                case ']' -> push(new ArrayList<>());
                case ')' -> push(new Tuple(List.of()));
                case 'N' -> push(None.NONE);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) i32());
                case 'K' -> push((long) u8());
                case 'M' -> push((long) (u8() | u8() << 8));
                case 0x8a -> push(long1());
                case 'G' -> push(Double.longBitsToDouble(ByteBuffer.wrap(take(8)).getLong())); // BINFLOAT, big-endian
                case 'X' -> push(utf8(u32len()));
                case 0x8c -> push(utf8(u8()));
                case 'q' -> put(u8());
                case 'r' -> put(Integer.toUnsignedLong(i32()));
                case 0x94 -> put(memo.size()); // MEMOIZE
                case 'h' -> push(get(u8()));
                case 'j' -> push(get(Integer.toUnsignedLong(i32())));
                case 't' -> push(new Tuple(popMark()));
                case 0x85 -> push(tuple(1));
                case 0x86 -> push(tuple(2));
                case 0x87 -> push(tuple(3));
                case 'a' -> { Object v = pop(); list(peek()).add(v); }
                case 'e' -> { List<Object> items = popMark(); list(peek()).addAll(items); }
                case 's' -> { Object v = pop(), k = pop(); setItem(peek(), k, v); }
                case 'u' -> {
                    List<Object> items = popMark();
                    if (items.size() % 2 != 0) throw fail("SETITEMS with an odd number of values");
                    Object d = peek();
                    for (int i = 0; i < items.size(); i += 2) setItem(d, items.get(i), items.get(i + 1));
                }
                case 'c' -> push(global());
                case 'R' -> { Object args = pop(); push(reduce(pop(), args)); }
                case 0x81 -> { Object args = pop(); push(newObject(pop(), args)); } // NEWOBJ
                case 'b' -> { Object state = pop(); build(peek(), state); }
                case 'Q' -> push(persistent(pop()));
                default -> throw fail("pickle opcode 0x" + String.format("%02x", op) + " (" + PickleOpcodes.name(op) + ") not allowed");
            }
        }
    }

    private PickleGlobal global() {
        String module = line(), name = line();
        PickleGlobal g = PickleGlobal.find(module, name);
        if (g == null) throw fail("global " + module + "." + name + " not allowed (only tensors, storages and OrderedDict are read)");
        return g;
    }

    private Object reduce(Object callable, Object args) {
        if (!(callable instanceof PickleGlobal g)) throw fail("REDUCE on a " + describe(callable) + " not allowed");
        Tuple a = args instanceof Tuple t ? t : null;
        if (a == null) throw fail("REDUCE of " + g + " with " + describe(args) + " arguments (expected a tuple)");
        return switch (g.kind()) {
            case ORDERED_DICT -> {
                if (a.size() != 0) throw fail("OrderedDict(...) with arguments not allowed (items come by SETITEMS)");
                yield new Dict(true);
            }
            case REBUILD_TENSOR_V2 -> rebuildTensor(a);
            case REBUILD_PARAMETER -> {
                // _rebuild_parameter(data, requires_grad, backward_hooks): the parameter is its tensor.
                if (a.size() != 3 || !(a.get(0) instanceof TensorRef t)) throw fail("_rebuild_parameter expects (tensor, bool, hooks)");
                requireNoHooks(a.get(2));
                yield t;
            }
            default -> throw fail("REDUCE on " + g + " not allowed");
        };
    }

    /** torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private TensorRef rebuildTensor(Tuple a) {
        if (a.size() != 6 && a.size() != 7) throw fail("_rebuild_tensor_v2 with " + a.size() + " arguments (expected 6 or 7)");
        if (!(a.get(0) instanceof Storage s)) throw fail("_rebuild_tensor_v2 on a " + describe(a.get(0)) + " (expected a storage)");
        long offset = integer(a.get(1), "storage_offset");
        if (!(a.get(2) instanceof Tuple size) || !(a.get(3) instanceof Tuple stride) || size.size() != stride.size()) {
            throw fail("_rebuild_tensor_v2 on storage '" + s.key() + "': size and stride must be tuples of equal length");
        }
        if (!(a.get(4) instanceof Boolean)) throw fail("_rebuild_tensor_v2: requires_grad is a " + describe(a.get(4)));
        requireNoHooks(a.get(5));
        if (a.size() == 7 && !(a.get(6) == None.NONE || a.get(6) instanceof Dict m && m.isEmpty())) {
            throw fail("_rebuild_tensor_v2 on storage '" + s.key() + "' with tensor metadata not supported");
        }
        int rank = size.size();
        if (rank > MAX_RANK) throw fail("tensor on storage '" + s.key() + "' has rank " + rank + " (max " + MAX_RANK + ")");
        int[] dims = new int[rank];
        long numel = 1;
        for (int i = 0; i < rank; i++) {
            long d = integer(size.get(i), "size");
            if (d < 0 || d > Integer.MAX_VALUE) throw fail("tensor on storage '" + s.key() + "' has dimension " + d);
            dims[i] = (int) d;
            if (d != 0 && numel > (1L << 48) / d) throw fail("tensor on storage '" + s.key() + "' is absurdly large");
            numel *= d;
        }
        // Only contiguous row-major layouts are views we can hand out; strides of size-1 dimensions do not matter.
        long expect = 1;
        for (int i = rank - 1; i >= 0; i--) {
            long st = integer(stride.get(i), "stride");
            if (dims[i] != 1 && numel != 0 && st != expect) {
                throw fail("tensor on storage '" + s.key() + "' has non-contiguous stride " + render(stride) + " for size "
                        + render(size) + " (only contiguous row-major tensors are supported)");
            }
            expect *= dims[i];
        }
        if (offset < 0 || (numel > 0 && (offset > s.numel() || numel > s.numel() - offset))) {
            throw fail("tensor on storage '" + s.key() + "' (offset " + offset + ", " + numel + " elements) lies outside the storage ("
                    + s.numel() + " elements)");
        }
        return new TensorRef(s, numel == 0 ? 0 : offset, dims); // an empty tensor's offset is irrelevant
    }

    private void requireNoHooks(Object hooks) {
        if (!(hooks instanceof Dict d && d.isEmpty()) && hooks != None.NONE) {
            throw fail("tensor with backward hooks (" + describe(hooks) + ") not allowed");
        }
    }

    private Object newObject(Object cls, Object args) {
        if (cls instanceof PickleGlobal g && g.kind() == PickleGlobal.Kind.NAMESPACE && args instanceof Tuple t && t.size() == 0) {
            return new Namespace();
        }
        throw fail("NEWOBJ of " + describe(cls) + " not allowed");
    }

    /** BUILD sets attributes (not items): OrderedDict state dicts carry {@code _metadata}; Namespace its fields. */
    private void build(Object target, Object state) {
        if (!(target instanceof Dict d && d.ordered) && !(target instanceof Namespace)) {
            throw fail("BUILD on a " + describe(target) + " not allowed");
        }
        if (state == None.NONE) return;
        if (!(state instanceof Dict attrs)) throw fail("BUILD with " + describe(state) + " state not allowed");
        for (Object k : attrs.keySet()) if (!(k instanceof String)) throw fail("BUILD with a non-string attribute name");
        if (target instanceof Namespace ns) ns.putAll(attrs); // an OrderedDict's attributes (_metadata) are dropped
    }

    private Object persistent(Object pid) {
        if (!(pid instanceof Tuple t) || t.size() != 5 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof PickleGlobal g) || g.kind() != PickleGlobal.Kind.STORAGE
                || !(t.get(2) instanceof String key) || !(t.get(3) instanceof String location)) {
            throw fail("persistent id " + describe(pid) + " is not ('storage', torch.<Type>Storage, key, location, numel)");
        }
        long numel = integer(t.get(4), "storage numel");
        if (numel < 0) throw fail("storage '" + key + "' has negative size " + numel);
        try {
            return resolver.storage(key, g.dtype(), numel, location);
        } catch (CheckpointException e) {
            throw fail(e.getMessage());
        }
    }

    private void setItem(Object target, Object k, Object v) {
        if (!(target instanceof Dict d)) throw fail("SETITEM on a " + describe(target));
        if (!(k instanceof String || k instanceof Long || k instanceof Double || k instanceof Boolean || k == None.NONE)) {
            throw fail("dict key of type " + describe(k) + " not allowed");
        }
        d.put(k, v);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object target) {
        if (!(target instanceof ArrayList<?> l)) throw fail("APPEND on a " + describe(target));
        return (List<Object>) l;
    }

    private Tuple tuple(int n) {
        if (stack.size() - floor() < n) throw fail("stack underflow");
        List<Object> sub = stack.subList(stack.size() - n, stack.size());
        Tuple t = new Tuple(Collections.unmodifiableList(new ArrayList<>(sub)));
        sub.clear();
        return t;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw fail("no MARK on the stack");
        int m = marks.remove(marks.size() - 1);
        List<Object> sub = stack.subList(m, stack.size());
        List<Object> items = Collections.unmodifiableList(new ArrayList<>(sub));
        sub.clear();
        return items;
    }

    private int floor() { return marks.isEmpty() ? 0 : marks.get(marks.size() - 1); }

    private void push(Object v) {
        if (stack.size() >= MAX_STACK) throw fail("stack deeper than " + MAX_STACK);
        stack.add(v);
    }

    private Object pop() {
        if (stack.size() <= floor()) throw fail("stack underflow");
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.size() <= floor()) throw fail("stack underflow");
        return stack.get(stack.size() - 1);
    }

    private void put(long index) {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) throw fail("more than " + MAX_MEMO + " memo entries");
        memo.put(index, peek());
    }

    private Object get(long index) {
        Object v = memo.get(index);
        if (v == null) throw fail("memo index " + index + " is not defined");
        return v;
    }

    private long integer(Object v, String what) {
        if (v instanceof Long l) return l;
        throw fail(what + " is a " + describe(v) + ", expected an int");
    }

    private Object long1() {
        int n = u8();
        if (n > 8) throw fail("integer of " + n + " bytes is too large");
        byte[] b = take(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = v << 8 | (b[i] & 0xFF);
        if (n > 0 && n < 8 && b[n - 1] < 0) v -= 1L << (8 * n); // sign-extend
        return v;
    }

    private String line() {
        int start = pos;
        while (pos < in.length && in[pos] != '\n') {
            if (pos - start > MAX_GLOBAL_LINE) throw fail("GLOBAL name longer than " + MAX_GLOBAL_LINE + " bytes");
            pos++;
        }
        if (pos >= in.length) throw fail("truncated GLOBAL");
        String s = new String(in, start, pos - start, StandardCharsets.UTF_8);
        pos++;
        return s;
    }

    private String utf8(long n) {
        byte[] b = take(n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw fail("string is not valid UTF-8");
        }
    }

    private long u32len() { return Integer.toUnsignedLong(i32()); }

    private int u8() {
        if (pos >= in.length) throw fail("truncated pickle (no STOP)");
        return in[pos++] & 0xFF;
    }

    private int i32() {
        byte[] b = take(4);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    private byte[] take(long n) {
        if (n > in.length - pos) throw fail("truncated pickle (" + n + " bytes wanted, " + (in.length - pos) + " left)");
        byte[] b = java.util.Arrays.copyOfRange(in, pos, pos + (int) n);
        pos += (int) n;
        return b;
    }

    private void skip(int n) { take(n); }

    /** A short type description (never the value itself: containers may be huge or self-referencing). */
    static String describe(Object v) {
        return switch (v) {
            case null -> "null";
            case None n -> "None";
            case String s -> "str";
            case Long l -> "int";
            case Double d -> "float";
            case Boolean b -> "bool";
            case Tuple t -> "tuple of " + t.size();
            case Dict d -> d.ordered ? "OrderedDict" : "dict";
            case Namespace n -> "argparse.Namespace";
            case ArrayList<?> l -> "list";
            case PickleGlobal g -> "global " + g;
            case TensorRef t -> "tensor";
            case Storage s -> "storage";
            default -> v.getClass().getSimpleName();
        };
    }

    private static String render(Tuple t) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < t.size(); i++) b.append(i > 0 ? ", " : "").append(t.get(i) instanceof Long l ? l.toString() : describe(t.get(i)));
        return b.append(')').toString();
    }

    private CheckpointException fail(String what) {
        return new CheckpointException(source + ": " + what + " (at pickle offset " + opAt + ")");
    }
}
