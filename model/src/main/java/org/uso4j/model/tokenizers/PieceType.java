package org.uso4j.model.tokenizers;

/**
 * sentencepiece {@code ModelProto.SentencePiece.Type}; the numbers are the proto enum values, which GGUF's
 * {@code tokenizer.ggml.token_type} reuses (1 normal, 2 unknown, 3 control, 4 user defined, 5 unused, 6 byte).
 */
public enum PieceType {
    NORMAL(1), UNKNOWN(2), CONTROL(3), USER_DEFINED(4), UNUSED(5), BYTE(6);

    public final int code;

    PieceType(int code) { this.code = code; }

    public static PieceType of(int code, String where) {
        for (PieceType t : values()) if (t.code == code) return t;
        throw new IllegalArgumentException(where + ": unknown sentencepiece piece type " + code);
    }
}
