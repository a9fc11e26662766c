package org.uso4j.core.io;

import org.uso4j.core.DType;
import org.uso4j.core.Shape;

/** What a checkpoint says about one tensor, before its bytes are touched. */
public record TensorEntry(String name, DType dtype, Shape shape, String file) {
    public long byteSize() { return dtype.byteSize(shape.numel()); }
}
