package org.uso4j.vulkan;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;

/**
 * The lifetimes of a backend's device activations: a stack of open scopes, each the set of buffers made while it
 * was innermost, under a root that lives as long as the backend. Closing a scope frees what it still holds; keep
 * moves a tensor's buffer one level out.
 */
final class Scopes {
    private final DeviceHeap heap;
    private final ArrayDeque<Frame> open = new ArrayDeque<>();
    private final Frame root = new Frame(null);
    private long live;

    Scopes(DeviceHeap heap) { this.heap = heap; }

    /** Registers a new activation buffer with the innermost scope. */
    void add(VulkanMemory m) {
        current().held.add(m);
        live++;
    }

    Backend.Scope open() {
        Frame f = new Frame(current());
        open.push(f);
        return f;
    }

    private Frame current() { return open.isEmpty() ? root : open.peek(); }

    /** Activation buffers alive now (outside weights). */
    long live() { return live; }

    /** Frees everything, root included (the backend closes). */
    void closeAll() {
        while (!open.isEmpty()) open.peek().close();
        root.release();
    }

    private final class Frame implements Backend.Scope {
        final Frame parent; // the root for the outermost open scope; null only for the root, which is never handed out
        final Set<VulkanMemory> held = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean closed;

        Frame(Frame parent) { this.parent = parent; }

        @Override
        public Tensor keep(Tensor t) {
            if (closed) throw new IllegalStateException("keep on a closed scope");
            if (t != null && t.isOnDevice() && t.deviceMemory() instanceof VulkanMemory m && held.remove(m)) parent.held.add(m);
            return t;
        }

        @Override
        public void close() {
            if (closed) return;
            if (open.peek() != this) throw new IllegalStateException("scopes must close innermost first");
            open.pop();
            closed = true;
            release();
        }

        void release() {
            for (VulkanMemory m : held) {
                if (!m.freed) {
                    m.freed = true;
                    heap.free(m.buffer);
                    live--;
                }
            }
            held.clear();
        }
    }
}
