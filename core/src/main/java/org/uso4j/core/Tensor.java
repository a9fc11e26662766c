package org.uso4j.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor: element type, shape and bytes. Weights are views into memory-mapped checkpoint files and keep
 * their stored {@link DType}; activations are dense float32 tensors backed by a heap {@code float[]}
 * ({@link #floats()}), which is what kernels work on. A device backend's tensors live in its own memory
 * ({@link #onDevice}); their host accessors fail until the tensor is downloaded. Row-major, little-endian, batch first.
 */
public final class Tensor {
    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DType dtype;
    private final Shape shape;
    private final MemorySegment data;
    private final float[] array; // non-null for heap float32 tensors
    private final DeviceMemory device; // non-null (and data, array null) for a device backend's tensor

    private Tensor(DType dtype, Shape shape, MemorySegment data, float[] array) { this(dtype, shape, data, array, null); }

    private Tensor(DType dtype, Shape shape, MemorySegment data, float[] array, DeviceMemory device) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
        this.array = array;
        this.device = device;
    }

    /** A tensor held in a device backend's {@code memory}; only that backend reads it. */
    public static Tensor onDevice(DType dtype, Shape shape, DeviceMemory memory) {
        if (memory == null) throw new IllegalArgumentException("device tensor " + dtype + " " + shape + " needs its memory");
        return new Tensor(dtype, shape, null, null, memory);
    }

    /** A view of stored bytes; fails when the byte count does not match shape x dtype. */
    public static Tensor of(DType dtype, Shape shape, MemorySegment data) {
        long need = dtype.isQuantized() ? quantizedBytes(dtype, shape) : dtype.byteSize(shape.numel());
        if (data.byteSize() != need) {
            throw new IllegalArgumentException(dtype + " " + shape + " needs " + need + " bytes, got " + data.byteSize());
        }
        if (dtype == DType.F32 && data.isNative() == false && data.heapBase().orElse(null) instanceof float[] a
                && a.length == shape.numel()) {
            return new Tensor(dtype, shape, data, a);
        }
        return new Tensor(dtype, shape, data, null);
    }

    /** Quantized tensors are stored row by row; each row (last dimension) is a whole number of blocks. */
    private static long quantizedBytes(DType dtype, Shape shape) {
        int row = shape.last();
        if (row % dtype.blockSize() != 0) {
            throw new IllegalArgumentException(dtype + " rows must be a multiple of " + dtype.blockSize()
                    + " elements, got " + shape);
        }
        return dtype.byteSize(shape.numel());
    }

    /** A new zero-filled float32 tensor. */
    public static Tensor zeros(int... dims) { return wrap(new float[Math.toIntExact(Shape.of(dims).numel())], dims); }

    public static Tensor zeros(Shape shape) { return zeros(shape.dims()); }

    /** A float32 tensor over {@code values} (not copied). */
    public static Tensor wrap(float[] values, int... dims) {
        Shape s = Shape.of(dims);
        if (s.numel() != values.length) {
            throw new IllegalArgumentException("shape " + s + " has " + s.numel() + " elements, array has " + values.length);
        }
        return new Tensor(DType.F32, s, MemorySegment.ofArray(values), values);
    }

    public DType dtype() { return dtype; }
    public Shape shape() { return shape; }
    public int[] dims() { return shape.dims(); }
    public int dim(int i) { return shape.dim(i); }
    public int rank() { return shape.rank(); }
    public long numel() { return shape.numel(); }

    /** The stored bytes of a host tensor; fails on a device tensor. */
    public MemorySegment segment() {
        if (data == null) throw onDeviceError("segment()");
        return data;
    }

    /** True for a tensor in a device backend's memory ({@link #deviceMemory()}). */
    public boolean isOnDevice() { return device != null; }

    /** The device buffer of a device tensor; fails on a host tensor. */
    public DeviceMemory deviceMemory() {
        if (device == null) throw new IllegalStateException("not a device tensor (" + dtype + " " + shape + ")");
        return device;
    }

    /** True for a dense float32 heap tensor, the form kernels compute on (never a device tensor). */
    public boolean isDenseF32() { return array != null; }

    /** The backing array of a dense float32 tensor (shared, not copied). */
    public float[] floats() {
        if (array == null) {
            if (device != null) throw onDeviceError("floats()");
            throw new IllegalStateException("not a dense float32 tensor (" + dtype + " " + shape + "); use toF32()");
        }
        return array;
    }

    /** This tensor as dense float32: itself if already so (a float32 device tensor too), else a decoded host copy (any dtype, incl. quantized). */
    public Tensor toF32() {
        if (array != null) return this;
        if (device != null) {
            if (dtype == DType.F32) return this;
            throw onDeviceError("toF32()");
        }
        float[] out = new float[Math.toIntExact(numel())];
        Dequantize.decode(dtype, data, 0, out, 0, out.length);
        return wrap(out, shape.dims());
    }

    /** Same data, new shape; one dimension may be -1. */
    public Tensor reshape(int... dims) {
        int[] d = dims.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("two -1 in reshape " + Arrays.toString(dims));
                infer = i;
            } else known *= d[i];
        }
        if (infer >= 0) d[infer] = Math.toIntExact(numel() / Math.max(1, known));
        Shape s = Shape.of(d);
        if (s.numel() != numel()) throw new IllegalArgumentException("cannot reshape " + shape + " to " + s);
        return new Tensor(dtype, s, data, array, device);
    }

    private IllegalStateException onDeviceError(String what) {
        return new IllegalStateException(what + " on a tensor in device memory (" + device.device() + ", " + dtype + " " + shape
                + "): download it with Backend.toHost");
    }

    /** Element i (flat index) as float; plain (non-block) types only. */
    public float getFloat(long i) {
        if (array != null) return array[(int) i];
        if (device != null) throw onDeviceError("getFloat");
        return switch (dtype) {
            case F32 -> data.getAtIndex(F32_LE, i);
            case F64 -> (float) data.getAtIndex(F64_LE, i);
            case F16 -> FloatFormats.f16ToFloat(data.getAtIndex(I16_LE, i));
            case BF16 -> FloatFormats.bf16ToFloat(data.getAtIndex(I16_LE, i));
            case F8_E4M3 -> FloatFormats.e4m3ToFloat(data.get(ValueLayout.JAVA_BYTE, i));
            case F8_E5M2 -> FloatFormats.e5m2ToFloat(data.get(ValueLayout.JAVA_BYTE, i));
            case I64, I32, I16, I8, U8, BOOL -> getLong(i);
            default -> throw new UnsupportedOperationException("getFloat on block-quantized " + dtype);
        };
    }

    /** Element i (flat index) of an integer or bool tensor. */
    public long getLong(long i) {
        if (device != null) throw onDeviceError("getLong");
        return switch (dtype) {
            case I64 -> data.getAtIndex(I64_LE, i);
            case I32 -> data.getAtIndex(I32_LE, i);
            case I16 -> data.getAtIndex(I16_LE, i);
            case I8 -> data.get(ValueLayout.JAVA_BYTE, i);
            case U8, BOOL -> data.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            default -> (long) getFloat(i);
        };
    }

    /** All elements of an integer tensor as longs. */
    public long[] toLongs() {
        if (device != null) throw onDeviceError("toLongs()");
        long[] out = new long[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) out[i] = getLong(i);
        return out;
    }

    @Override public String toString() { return "Tensor[" + dtype + " " + shape + (device == null ? "" : " on " + device.device()) + "]"; }
}
