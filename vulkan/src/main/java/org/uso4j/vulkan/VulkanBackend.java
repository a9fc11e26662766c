package org.uso4j.vulkan;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.uso4j.core.DType;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.Checks;
import org.uso4j.core.backend.DeviceBackend;
import org.uso4j.vulkan.ops.Attention;
import org.uso4j.vulkan.ops.Conv2d;
import org.uso4j.vulkan.ops.Embedding;
import org.uso4j.vulkan.ops.Layout;
import org.uso4j.vulkan.ops.Linear;
import org.uso4j.vulkan.ops.Matmul;
import org.uso4j.vulkan.ops.Norms;
import org.uso4j.vulkan.ops.Pointwise;
import org.uso4j.vulkan.ops.Rope;
import org.uso4j.vulkan.ops.TimestepEmbedding;

/**
 * The Vulkan backend: every op a compute shader (org.uso4j.vulkan.ops), weights uploaded once in their stored dtype
 * ({@link #adopt}), activations float32 device buffers that live until their scope closes, host ↔ device copies
 * only through {@link #toDevice} / {@link #toHost} (and host tensors handed to an op, which are uploaded and
 * counted: a denoising step must make none). One thread drives it (its methods are synchronized).
 */
public final class VulkanBackend implements DeviceBackend {
    private final VulkanContext ctx;
    private final Scopes scopes;
    private final boolean offload;
    private final Linear linear;
    private final Matmul matmul;
    private final Conv2d conv;
    private final Embedding embedding;
    private final Norms norms;
    private final Pointwise pointwise;
    private final Layout layout;
    private final Attention attention;
    private final Rope rope;
    private final TimestepEmbedding timesteps;
    private long statusReads, cpuFallbacks, weightBytes;
    private boolean closed;

    private VulkanBackend(VulkanContext ctx, boolean offload) {
        this.ctx = ctx;
        this.scopes = new Scopes(ctx.heap());
        this.offload = offload;
        this.linear = new Linear(ctx);
        this.matmul = new Matmul(ctx);
        this.conv = new Conv2d(ctx);
        this.embedding = new Embedding(ctx);
        this.norms = new Norms(ctx);
        this.pointwise = new Pointwise(ctx);
        this.layout = new Layout(ctx);
        this.attention = new Attention(ctx);
        this.rope = new Rope(ctx);
        this.timesteps = new TimestepEmbedding(ctx);
    }

    /**
     * Opens Vulkan device {@code index}. {@code offload}: weights stay in host memory and are streamed to the device
     * for each op (slow, counted as uploads) so models larger than the device's memory run.
     */
    public static VulkanBackend open(int index, VulkanContext.Options options, boolean offload) {
        return new VulkanBackend(VulkanContext.open(index, options), offload);
    }

    public VulkanContext context() { return ctx; }

    String deviceId() { return ctx.info().id(); }

    @Override public String name() { return "vulkan (" + ctx.info().id() + ": " + ctx.info().name() + ")"; }

    // ---- memory ----------------------------------------------------------------------------------------

    @Override
    public synchronized Tensor adopt(Tensor weight) {
        if (offload || weight.isOnDevice()) return weight;
        MemorySegment bytes = weight.segment();
        Buffer b = ctx.transfers().upload(bytes);
        weightBytes += b.bytes();
        return Tensor.onDevice(weight.dtype(), weight.shape(), new VulkanMemory(this, b, bytes.byteSize(), true));
    }

    @Override
    public synchronized Tensor toDevice(Tensor t) {
        if (t.isOnDevice()) {
            memory(t);
            return t;
        }
        return upload(t);
    }

    @Override
    public synchronized Tensor toHost(Tensor t) {
        if (!t.isOnDevice()) return t;
        VulkanMemory m = memory(t);
        if (t.dtype() == DType.F32) {
            float[] out = new float[Math.toIntExact(t.numel())];
            ctx.transfers().read(m.buffer, 0, MemorySegment.ofArray(out));
            return Tensor.wrap(out, t.dims());
        }
        byte[] raw = new byte[Math.toIntExact(m.bytes)];
        ctx.transfers().read(m.buffer, 0, MemorySegment.ofArray(raw));
        return Tensor.of(t.dtype(), t.shape(), MemorySegment.ofArray(raw));
    }

    @Override public synchronized Scope scope() { return scopes.open(); }

    @Override
    public synchronized Counters counters() {
        Transfers tr = ctx.transfers();
        return new Counters(tr.uploads(), tr.uploadBytes(), tr.downloads(), tr.downloadBytes(), cpuFallbacks, statusReads);
    }

    /** Activation buffers alive now (weights not counted): 0 after a generation means no scope leaked. */
    public synchronized long liveActivations() { return scopes.live(); }

    /** Bytes of weights held on the device. */
    public synchronized long weightBytes() { return weightBytes; }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            scopes.closeAll();
            rope.close();
            timesteps.close();
        } finally {
            ctx.close();
        }
    }

    /** The buffer of device tensor {@code t}, or of {@code t} uploaded now (a counted upload, freed with the current scope). */
    Buffer buf(Tensor t) {
        if (t.isOnDevice()) return memory(t).buffer;
        return memory(upload(t)).buffer;
    }

    private Tensor upload(Tensor t) {
        MemorySegment bytes = t.segment();
        Buffer b = ctx.transfers().upload(bytes);
        VulkanMemory m = new VulkanMemory(this, b, bytes.byteSize(), false);
        scopes.add(m);
        return Tensor.onDevice(t.dtype(), t.shape(), m);
    }

    private VulkanMemory memory(Tensor t) {
        if (closed) throw new IllegalStateException("the Vulkan backend is closed");
        if (!(t.deviceMemory() instanceof VulkanMemory m) || m.owner != this) {
            throw new IllegalArgumentException(t + " belongs to another backend (" + t.deviceMemory().device() + ")");
        }
        if (m.freed) throw new IllegalStateException(t + " was freed when its scope closed (keep it to use it later)");
        return m;
    }

    /** A float32 device tensor of {@code dims} over {@code b}, owned by the current scope. */
    Tensor out(Buffer b, int... dims) {
        Shape s = Shape.of(dims);
        VulkanMemory m = new VulkanMemory(this, b, 4 * s.numel(), false);
        scopes.add(m);
        return Tensor.onDevice(DType.F32, s, m);
    }

    // ---- operands ----------------------------------------------------------------------------------------

    /**
     * A float32 buffer holding {@code t}: activations are float32 already; a weight of another dtype used where an
     * op needs floats (a bias added with {@code add}, say) is decoded on the device once and the copy kept with it.
     */
    private Buffer f32(Tensor t) {
        if (t.dtype() == DType.F32) return buf(t);
        Tensor dev = t.isOnDevice() ? t : upload(t);
        VulkanMemory m = memory(dev);
        if (m.f32 != null) return m.f32;
        int n = Math.toIntExact(t.numel());
        Buffer converted = switch (t.dtype()) {
            case F16, BF16 -> layout.toF32(m.buffer, t.dtype(), n);
            default -> {
                int row = t.shape().last(), rows = n / Math.max(1, row);
                long[] ids = new long[rows];
                for (int i = 0; i < rows; i++) ids[i] = i;
                yield embedding.embedding(m.buffer, t.dtype(), rows, row, ids); // every row decoded in order
            }
        };
        if (m.weight) {
            m.f32 = converted;
            return converted;
        }
        return memory(out(converted, t.dims())).buffer;
    }

    private static int rows(Tensor x) { return Math.toIntExact(x.numel() / Math.max(1, x.shape().last())); }

    private static int n(Tensor x) { return Math.toIntExact(x.numel()); }

    /** Tokens per batch entry of x [B, ..., C]: what modulate and addGated broadcast their [B, C] operand over. */
    private static int tokens(Tensor x) { return Math.toIntExact(x.numel() / ((long) x.dim(0) * x.shape().last())); }

    /** The bias operand of a product: its buffer in its stored dtype, or nulls. */
    private Buffer optional(Tensor t) { return t == null ? null : buf(t); }

    private static DType dtype(Tensor t) { return t == null ? null : t.dtype(); }

    /** Norm weights are read as F32/F16/BF16 by the shaders; anything else is decoded first. */
    private Buffer normWeight(Tensor t) {
        if (t == null) return null;
        return t.dtype() == DType.F16 || t.dtype() == DType.BF16 ? buf(t) : f32(t);
    }

    private static DType normType(Tensor t) {
        if (t == null) return null;
        return t.dtype() == DType.F16 || t.dtype() == DType.BF16 ? t.dtype() : DType.F32;
    }

    private static void checkLinear(Tensor x, Tensor w, Tensor b) {
        if (w.rank() != 2) throw Checks.fail("linear", "weight must be [out, in], got " + w.shape());
        if (x.shape().last() != w.dim(1)) throw Checks.fail("linear", "input " + x.shape() + " does not match weight " + w.shape());
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) throw Checks.fail("linear", "bias " + b.shape() + " does not match weight " + w.shape());
        if (x.dtype() != DType.F32) throw Checks.fail("linear", "input must be float32, got " + x);
    }

    /** b's shape is a suffix of a's (broadcast over a's leading dimensions). */
    private static void suffix(Tensor a, Tensor b, String op) {
        int[] ad = a.dims(), bd = b.dims();
        boolean ok = bd.length <= ad.length;
        for (int i = 0; ok && i < bd.length; i++) ok = bd[bd.length - 1 - i] == ad[ad.length - 1 - i];
        if (!ok) throw Checks.fail(op, b.shape() + " does not broadcast to " + a.shape());
    }

    // ---- matrix products -------------------------------------------------------------------------------

    @Override
    public synchronized Tensor linear(Tensor x, Tensor weight, Tensor bias) { return linear(x, weight, bias, null); }

    @Override
    public synchronized Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation act) {
        checkLinear(x, weight, bias);
        int in = weight.dim(1), out = weight.dim(0);
        Buffer o = linear.linear(buf(x), rows(x), in, buf(weight), weight.dtype(), out, optional(bias), dtype(bias), act);
        return out(o, Checks.withLast(x, out));
    }

    @Override
    public synchronized Tensor linearLowRank(Tensor x, Tensor weight, Tensor bias, Tensor t, Tensor up) {
        checkLinear(x, weight, bias);
        Checks.linearLowRank(x, weight, t, up);
        int in = weight.dim(1), out = weight.dim(0);
        Buffer o = linear.linearLowRank(buf(x), rows(x), in, buf(weight), weight.dtype(), out, optional(bias), dtype(bias),
                f32(t), up.dim(1), buf(up), up.dtype());
        return out(o, Checks.withLast(x, out));
    }

    @Override
    public synchronized Tensor matmul(Tensor a, Tensor b, boolean transposeB) {
        Checks.Matmul m = Checks.matmul(a, b, transposeB);
        return out(matmul.matmul(f32(a), f32(b), m.batch(), m.m(), m.k(), m.n(), transposeB, m.bBroadcast()), m.outDims());
    }

    // ---- normalisation ---------------------------------------------------------------------------------

    @Override
    public synchronized Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        int c = x.shape().last();
        Checks.vector(weight, c, "layerNorm weight");
        Checks.vector(bias, c, "layerNorm bias");
        return out(norms.layerNorm(f32(x), rows(x), c, normWeight(weight), normType(weight), normWeight(bias), normType(bias), eps), x.dims());
    }

    @Override
    public synchronized Tensor rmsNorm(Tensor x, Tensor scale, float eps) {
        int c = x.shape().last();
        Checks.vector(scale, c, "rmsNorm scale");
        return out(norms.rmsNorm(f32(x), rows(x), c, normWeight(scale), normType(scale), eps), x.dims());
    }

    @Override
    public synchronized Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, float eps) {
        return groupNorm(x, groups, weight, bias, eps, null);
    }

    @Override
    public synchronized Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, float eps, Activation act) {
        if (x.rank() < 2) throw Checks.fail("groupNorm", "x must be [B, C, ...], got " + x.shape());
        int b = x.dim(0), c = x.dim(1), spatial = Math.toIntExact(x.numel() / Math.max(1L, (long) b * c));
        Checks.vector(weight, c, "groupNorm weight");
        Checks.vector(bias, c, "groupNorm bias");
        return out(norms.groupNorm(f32(x), b, c, spatial, groups, normWeight(weight), normType(weight), normWeight(bias),
                normType(bias), eps, act), x.dims());
    }

    // ---- pointwise -------------------------------------------------------------------------------------

    @Override
    public synchronized Tensor activate(Tensor x, Activation kind) { return out(pointwise.activate(f32(x), n(x), kind), x.dims()); }

    @Override
    public synchronized Tensor add(Tensor a, Tensor b) {
        suffix(a, b, "add");
        return out(pointwise.add(f32(a), n(a), f32(b), n(b)), a.dims());
    }

    @Override
    public synchronized Tensor mul(Tensor a, Tensor b) {
        suffix(a, b, "mul");
        return out(pointwise.mul(f32(a), n(a), f32(b), n(b)), a.dims());
    }

    @Override
    public synchronized Tensor scale(Tensor a, float s) { return out(pointwise.scale(f32(a), n(a), s), a.dims()); }

    @Override
    public synchronized Tensor addScaled(Tensor a, Tensor b, float s) {
        Checks.sameShape(a, b, "addScaled");
        return out(pointwise.addScaled(f32(a), f32(b), n(a), s), a.dims());
    }

    @Override
    public synchronized Tensor modulate(Tensor x, Tensor shift, Tensor scale) {
        Checks.perBatchChannel(x, shift, "modulate shift");
        Checks.perBatchChannel(x, scale, "modulate scale");
        return out(pointwise.modulate(f32(x), x.dim(0), tokens(x), x.shape().last(), f32(shift), f32(scale)), x.dims());
    }

    @Override
    public synchronized Tensor addGated(Tensor x, Tensor gate, Tensor y) {
        Checks.sameShape(x, y, "addGated");
        Checks.perBatchChannel(x, gate, "addGated gate");
        return out(pointwise.addGated(f32(x), x.dim(0), tokens(x), x.shape().last(), f32(gate), f32(y)), x.dims());
    }

    @Override
    public synchronized boolean allFinite(Tensor t) {
        statusReads++;
        return pointwise.allFinite(f32(t), n(t));
    }

    @Override
    public synchronized Tensor gaussianSample(Tensor mean, Tensor logvar, Tensor noise) {
        Checks.sameShape(mean, logvar, "gaussianSample logvar");
        Checks.sameShape(mean, noise, "gaussianSample noise");
        return out(pointwise.gaussianSample(f32(mean), f32(logvar), f32(noise), n(mean)), mean.dims());
    }

    @Override
    public synchronized Tensor zeros(int... dims) { return out(layout.zeros(Math.toIntExact(Shape.of(dims).numel())), dims); }

    // ---- layout ----------------------------------------------------------------------------------------

    @Override
    public synchronized Tensor concat(int dim, List<Tensor> parts) {
        if (parts.isEmpty()) throw Checks.fail("concat", "no parts");
        int rank = parts.get(0).rank();
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) throw Checks.fail("concat", "dim " + dim + " out of range for rank " + rank);
        int[][] dims = new int[parts.size()][];
        Buffer[] buffers = new Buffer[parts.size()];
        int[] outDims = parts.get(0).dims();
        outDims[d] = 0;
        for (int i = 0; i < dims.length; i++) {
            Tensor p = parts.get(i);
            dims[i] = p.dims();
            if (p.rank() != rank) throw Checks.fail("concat", "ranks differ: " + parts.get(0).shape() + " vs " + p.shape());
            for (int j = 0; j < rank; j++) {
                if (j != d && dims[i][j] != dims[0][j]) throw Checks.fail("concat", "shapes differ outside dim " + dim + ": " + parts.get(0).shape() + " vs " + p.shape());
            }
            outDims[d] += dims[i][d];
            buffers[i] = f32(p);
        }
        return out(layout.concat(d, dims, buffers), outDims);
    }

    @Override
    public synchronized Tensor slice(Tensor x, int dim, int start, int end) {
        int d = dim < 0 ? dim + x.rank() : dim;
        if (d < 0 || d >= x.rank() || start < 0 || end > x.dim(d) || start > end) {
            throw Checks.fail("slice", "[" + start + ", " + end + ") along dim " + dim + " of " + x.shape());
        }
        int[] outDims = x.dims();
        outDims[d] = end - start;
        return out(layout.slice(f32(x), x.dims(), d, start, end), outDims);
    }

    @Override
    public synchronized Tensor permute(Tensor x, int... order) {
        if (order.length != x.rank()) throw Checks.fail("permute", "order " + java.util.Arrays.toString(order) + " for " + x.shape());
        int[] outDims = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            if (order[i] < 0 || order[i] >= order.length || seen[order[i]]) throw Checks.fail("permute", "order " + java.util.Arrays.toString(order) + " is not a permutation");
            seen[order[i]] = true;
            outDims[i] = x.dim(order[i]);
        }
        return out(layout.permute(f32(x), x.dims(), order), outDims);
    }

    // ---- attention -------------------------------------------------------------------------------------

    @Override
    public synchronized Tensor rope(Tensor x, Tensor pe) {
        Checks.rope(x, pe);
        return out(rope.rope(f32(x), x.dim(0), x.dim(1), x.dim(2), x.dim(3), f32(pe), pe.dim(0)), x.dims());
    }

    @Override
    public synchronized Tensor attention(Tensor q, Tensor k, Tensor v, float scale, Tensor bias, boolean causal) {
        Checks.attention(q, k, v, bias);
        int b = q.dim(0), h = q.dim(1), lq = q.dim(2), lk = k.dim(2), d = q.dim(3), dv = v.dim(3);
        Buffer o = attention.attention(f32(q), f32(k), f32(v), b, h, lq, lk, d, dv, scale, bias == null ? null : f32(bias),
                bias == null ? 1 : bias.dim(0), causal);
        return out(o, b, h, lq, dv);
    }

    @Override
    public synchronized Tensor softmax(Tensor x) { return out(attention.softmax(f32(x), rows(x), x.shape().last()), x.dims()); }

    // ---- embeddings ------------------------------------------------------------------------------------

    @Override
    public synchronized Tensor timestepEmbedding(Tensor t, int dim, float timeFactor, float maxPeriod) {
        int count = n(t);
        return out(timesteps.timestepEmbedding(f32(t), count, dim, timeFactor, maxPeriod), count, dim);
    }

    @Override
    public synchronized Tensor ropeTable(Tensor ids, int theta, int[] axesDim) {
        if (ids.rank() != 3 || ids.dim(2) != axesDim.length) {
            throw Checks.fail("ropeTable", "ids must be [B, L, " + axesDim.length + "], got " + ids.shape());
        }
        int half = 0;
        for (int a : axesDim) half += a / 2;
        return out(rope.ropeTable(f32(ids), ids.dim(0), ids.dim(1), theta, axesDim), ids.dim(0), 1, ids.dim(1), half, 2, 2);
    }

    @Override
    public synchronized Tensor embedding(Tensor table, long[] ids) {
        if (table.rank() != 2) throw Checks.fail("embedding", "table must be [V, D], got " + table.shape());
        return out(embedding.embedding(buf(table), table.dtype(), table.dim(0), table.dim(1), ids), ids.length, table.dim(1));
    }

    // ---- images ----------------------------------------------------------------------------------------

    @Override
    public synchronized Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int[] pad) {
        Checks.Conv c = Checks.conv2d(x, weight, bias, stride, pad);
        Conv2d.Shape s = new Conv2d.Shape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), weight.dim(0), weight.dim(2), weight.dim(3));
        return out(conv.conv2d(f32(x), s, buf(weight), weight.dtype(), optional(bias), dtype(bias), stride, pad), c.b(), c.cout(), c.oh(), c.ow());
    }

    @Override
    public synchronized Tensor conv2dUpsampled2x(Tensor x, Tensor weight, Tensor bias, int[] pad) {
        Checks.Conv c = Checks.conv2d(x, weight, bias, 1, pad, 2);
        Conv2d.Shape s = new Conv2d.Shape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), weight.dim(0), weight.dim(2), weight.dim(3));
        return out(conv.conv2dUpsampled2x(f32(x), s, buf(weight), weight.dtype(), optional(bias), dtype(bias), pad), c.b(), c.cout(), c.oh(), c.ow());
    }

    @Override
    public synchronized Tensor upsampleNearest2x(Tensor x) {
        if (x.rank() != 4) throw Checks.fail("upsampleNearest2x", "x must be [B, C, H, W], got " + x.shape());
        return out(layout.upsampleNearest2x(f32(x), x.dim(0), x.dim(1), x.dim(2), x.dim(3)), x.dim(0), x.dim(1), 2 * x.dim(2), 2 * x.dim(3));
    }
}
