package org.uso4j.pipeline.eval;

/** The USO-Bench metrics, with the label the paper's tables use. */
public enum Metric {
    /** Mean CLIP ViT-B/32 image-image cosine, generated vs content references. */
    CLIP_I("CLIP-I"),
    /** Mean DINO ViT-S/16 CLS cosine, generated vs content references. */
    DINO("DINO"),
    /** Mean max(0, CLIP image-text cosine) of each generated image with its prompt. */
    CLIP_T("CLIP-T"),
    /** Mean CSD style-descriptor cosine, generated vs style references. */
    CSD("CSD");

    private final String label;

    Metric(String label) { this.label = label; }

    public String label() { return label; }

    /** The key used in report.json and the cache ({@code clip_i}, {@code dino}, {@code clip_t}, {@code csd}). */
    public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
}
