package org.uso4j.core;

import java.util.Arrays;

/** An immutable tensor shape, outermost dimension first (row-major / C order, as PyTorch). */
public record Shape(int[] dims) {
    public Shape {
        dims = dims.clone();
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            n = Math.multiplyExact(n, (long) d);
        }
    }

    public static Shape of(int... dims) { return new Shape(dims); }

    public int rank() { return dims.length; }

    public int dim(int i) { return dims[i < 0 ? dims.length + i : i]; }

    public int[] dims() { return dims.clone(); }

    public long numel() {
        long n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** Product of all dimensions but the last: the number of rows when the tensor is seen as a matrix. */
    public long rows() {
        return dims.length == 0 ? 1 : numel() / Math.max(1, dims[dims.length - 1]) ;
    }

    public int last() { return dims.length == 0 ? 1 : dims[dims.length - 1]; }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }
    @Override public String toString() { return Arrays.toString(dims); }
}
