package org.uso4j.model.uso;

/**
 * The three SigLIP feature levels USO's projector reads, in output order, with the hidden-state index each uses
 * ({@code hidden_states[-2]}, {@code [-11]}, {@code [-20]}) and its checkpoint key prefix.
 */
public enum StyleFeatureLevel {
    HIGH(-2, "high"),
    MID(-11, "mid"),
    LOW(-20, "low");

    private final int hiddenStateIndex;
    private final String keyPrefix;

    StyleFeatureLevel(int hiddenStateIndex, String keyPrefix) {
        this.hiddenStateIndex = hiddenStateIndex;
        this.keyPrefix = keyPrefix;
    }

    /** Negative index into SigLIP's hidden states (embeddings first, last layer last). */
    public int hiddenStateIndex() { return hiddenStateIndex; }

    public String keyPrefix() { return keyPrefix; }
}
