package org.uso4j.pipeline.sampling;

import java.util.Locale;

/**
 * USO's {@code pe} option: how content-reference token ids are offset from the target grid
 * ({@code prepare_multi_ip}): {@code d} diagonal (both), {@code h} rows only, {@code w} columns only, {@code o} none.
 */
public enum PositionEmbedding {
    D(true, true), H(true, false), W(false, true), O(false, false);

    private final boolean shiftRows;
    private final boolean shiftCols;

    PositionEmbedding(boolean shiftRows, boolean shiftCols) {
        this.shiftRows = shiftRows;
        this.shiftCols = shiftCols;
    }

    public boolean shiftRows() { return shiftRows; }
    public boolean shiftCols() { return shiftCols; }

    /** "d", "h", "w" or "o" (case-insensitive). */
    public static PositionEmbedding parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pe must be one of d, h, w, o; got '" + s + "'");
        }
    }

    public String code() { return name().toLowerCase(Locale.ROOT); }
}
