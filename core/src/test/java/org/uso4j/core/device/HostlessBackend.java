package org.uso4j.core.device;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.uso4j.core.DType;
import org.uso4j.core.DeviceMemory;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.DeviceBackend;
import org.uso4j.core.backend.ScalarBackend;

/**
 * A device backend without a device, proving the seam in tests: it computes with {@link ScalarBackend} but hands out
 * every result as a device tensor whose memory hides the host tensor, so any host access to an activation fails as
 * it would on a GPU. It counts uploads (a host tensor given to an op or {@link #toDevice}, or a weight
 * {@link #adopt adopted}), downloads ({@link #toHost}) and status reads ({@link #allFinite}); a scope's close frees
 * its buffers, and using a freed one fails.
 */
public final class HostlessBackend implements DeviceBackend {
    public static final String DEVICE = "hostless:0";

    private final ScalarBackend host = new ScalarBackend();
    private final ArrayDeque<Frame> scopes = new ArrayDeque<>();
    private final List<Buffer> unscoped = new ArrayList<>();
    private final Set<WeightBytes> adoptedWeights = new HashSet<>();
    private long uploads, uploadBytes, downloads, downloadBytes, statusReads, weights, weightReadoptions, live;

    /** One buffer: the host tensor it hides; freed by its scope's close. */
    private final class Buffer implements DeviceMemory {
        private final Tensor data;
        private final boolean weight;
        private boolean freed;

        Buffer(Tensor data, boolean weight) {
            this.data = data;
            this.weight = weight;
            if (!weight) live++;
        }

        void free() {
            if (!freed && !weight) live--;
            freed = true;
        }

        @Override public String device() { return DEVICE; }
        @Override public long byteSize() { return data.segment().byteSize(); }
    }

    /** Where a weight's bytes are: adopting the same bytes twice is an upload too many. */
    private record WeightBytes(Object base, long address, long size) {}

    private final class Frame implements Scope {
        private final List<Buffer> owned = new ArrayList<>();
        private boolean closed;

        @Override public Tensor keep(Tensor t) {
            if (closed) throw new IllegalStateException("keep on a closed scope");
            if (t != null && t.isOnDevice() && t.deviceMemory() instanceof Buffer b && owned.remove(b)) {
                Frame parent = parentOf(this);
                (parent == null ? unscoped : parent.owned).add(b);
            }
            return t;
        }

        @Override public void close() {
            if (closed) return;
            if (scopes.peek() != this) throw new IllegalStateException("scopes must close innermost first");
            scopes.pop();
            closed = true;
            owned.forEach(Buffer::free);
            owned.clear();
        }
    }

    private Frame parentOf(Frame f) {
        boolean next = false;
        for (Frame s : scopes) {
            if (next) return s;
            if (s == f) next = true;
        }
        return null;
    }

    @Override public String name() { return "hostless (scalar, every tensor on a pretend device)"; }

    @Override public Counters counters() { return new Counters(uploads, uploadBytes, downloads, downloadBytes, 0, statusReads); }

    /** Device buffers made by ops, uploads or {@link #toDevice} and not freed yet (weights not counted). */
    public long liveBuffers() { return live; }

    /** Weights adopted (each an upload). */
    public long weightUploads() { return weights; }

    /** Adoptions of bytes that were adopted before (0 when every weight is uploaded once). */
    public long weightReadoptions() { return weightReadoptions; }

    /** Open scopes. */
    public int openScopes() { return scopes.size(); }

    @Override public Scope scope() {
        Frame f = new Frame();
        scopes.push(f);
        return f;
    }

    @Override public Tensor adopt(Tensor weight) {
        if (weight.isOnDevice()) return weight;
        MemorySegment seg = weight.segment();
        if (!adoptedWeights.add(new WeightBytes(seg.heapBase().orElse(null), seg.address(), seg.byteSize()))) weightReadoptions++;
        weights++;
        count(weight);
        return Tensor.onDevice(weight.dtype(), weight.shape(), new Buffer(weight, true));
    }

    @Override public Tensor toHost(Tensor t) {
        if (!t.isOnDevice()) return t;
        Tensor h = open(t);
        downloads++;
        downloadBytes += h.segment().byteSize();
        if (h.dtype() == DType.F32) return Tensor.wrap(h.toF32().floats().clone(), t.dims());
        return Tensor.of(h.dtype(), t.shape(), MemorySegment.ofArray(h.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
    }

    @Override public Tensor toDevice(Tensor t) {
        if (t.isOnDevice()) return t;
        count(t);
        return made(t);
    }

    @Override public void close() {
        while (!scopes.isEmpty()) scopes.peek().close();
        unscoped.forEach(Buffer::free);
        unscoped.clear();
    }

    private void count(Tensor hostTensor) {
        uploads++;
        uploadBytes += hostTensor.segment().byteSize();
    }

    /** The host tensor behind {@code t} (counting an upload when t is a host tensor); fails on a freed buffer. */
    private Tensor in(Tensor t) {
        if (t == null) return null;
        if (!t.isOnDevice()) {
            count(t);
            return t;
        }
        return open(t);
    }

    private Tensor open(Tensor t) {
        if (!(t.deviceMemory() instanceof Buffer b)) throw new IllegalArgumentException(t + " is not a buffer of this backend");
        if (b.freed) throw new IllegalStateException("use after free: " + t + " was freed when its scope closed");
        return b.data.shape().equals(t.shape()) ? b.data : b.data.reshape(t.dims());
    }

    private List<Tensor> in(List<Tensor> ts) {
        List<Tensor> out = new ArrayList<>(ts.size());
        for (Tensor t : ts) out.add(in(t));
        return out;
    }

    /** A host result as a device tensor of the innermost scope. */
    private Tensor made(Tensor result) {
        Buffer b = new Buffer(result, false);
        Frame s = scopes.peek();
        (s == null ? unscoped : s.owned).add(b);
        return Tensor.onDevice(result.dtype(), result.shape(), b);
    }

    @Override public Tensor zeros(int... dims) { return made(Tensor.zeros(dims)); }

    @Override public boolean allFinite(Tensor t) {
        statusReads++;
        return host.allFinite(in(t));
    }

    @Override public Tensor linear(Tensor x, Tensor weight, Tensor bias) { return made(host.linear(in(x), in(weight), in(bias))); }

    @Override public Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation act) {
        return made(host.linear(in(x), in(weight), in(bias), act));
    }

    @Override public Tensor linearLowRank(Tensor x, Tensor weight, Tensor bias, Tensor t, Tensor up) {
        return made(host.linearLowRank(in(x), in(weight), in(bias), in(t), in(up)));
    }

    @Override public Tensor matmul(Tensor a, Tensor b, boolean transposeB) { return made(host.matmul(in(a), in(b), transposeB)); }

    @Override public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        return made(host.layerNorm(in(x), in(weight), in(bias), eps));
    }

    @Override public Tensor rmsNorm(Tensor x, Tensor scale, float eps) { return made(host.rmsNorm(in(x), in(scale), eps)); }

    @Override public Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, float eps) {
        return made(host.groupNorm(in(x), groups, in(weight), in(bias), eps));
    }

    @Override public Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, float eps, Activation act) {
        return made(host.groupNorm(in(x), groups, in(weight), in(bias), eps, act));
    }

    @Override public Tensor activate(Tensor x, Activation kind) { return made(host.activate(in(x), kind)); }
    @Override public Tensor add(Tensor a, Tensor b) { return made(host.add(in(a), in(b))); }
    @Override public Tensor mul(Tensor a, Tensor b) { return made(host.mul(in(a), in(b))); }
    @Override public Tensor scale(Tensor a, float s) { return made(host.scale(in(a), s)); }
    @Override public Tensor addScaled(Tensor a, Tensor b, float s) { return made(host.addScaled(in(a), in(b), s)); }
    @Override public Tensor modulate(Tensor x, Tensor shift, Tensor scale) { return made(host.modulate(in(x), in(shift), in(scale))); }
    @Override public Tensor addGated(Tensor x, Tensor gate, Tensor y) { return made(host.addGated(in(x), in(gate), in(y))); }
    @Override public Tensor concat(int dim, List<Tensor> parts) { return made(host.concat(dim, in(parts))); }
    @Override public Tensor slice(Tensor x, int dim, int start, int end) { return made(host.slice(in(x), dim, start, end)); }
    @Override public Tensor permute(Tensor x, int... order) { return made(host.permute(in(x), order)); }
    @Override public Tensor rope(Tensor x, Tensor pe) { return made(host.rope(in(x), in(pe))); }

    @Override public Tensor attention(Tensor q, Tensor k, Tensor v, float scale, Tensor bias, boolean causal) {
        return made(host.attention(in(q), in(k), in(v), scale, in(bias), causal));
    }

    @Override public Tensor softmax(Tensor x) { return made(host.softmax(in(x))); }

    @Override public Tensor timestepEmbedding(Tensor t, int dim, float timeFactor, float maxPeriod) {
        return made(host.timestepEmbedding(in(t), dim, timeFactor, maxPeriod));
    }

    @Override public Tensor ropeTable(Tensor ids, int theta, int[] axesDim) { return made(host.ropeTable(in(ids), theta, axesDim)); }
    @Override public Tensor embedding(Tensor table, long[] ids) { return made(host.embedding(in(table), ids)); }

    @Override public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int[] pad) {
        return made(host.conv2d(in(x), in(weight), in(bias), stride, pad));
    }

    @Override public Tensor conv2dUpsampled2x(Tensor x, Tensor weight, Tensor bias, int[] pad) {
        return made(host.conv2dUpsampled2x(in(x), in(weight), in(bias), pad));
    }

    @Override public Tensor upsampleNearest2x(Tensor x) { return made(host.upsampleNearest2x(in(x))); }

    @Override public Tensor gaussianSample(Tensor mean, Tensor logvar, Tensor noise) {
        return made(host.gaussianSample(in(mean), in(logvar), in(noise)));
    }
}
