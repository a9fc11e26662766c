package org.uso4j.pipeline.files;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Ready-made selections of {@link WeightCatalog} components ({@code --set}). */
public enum WeightSet {
    /** What the official {@code weights/downloader.py} fetches, in its {@code weights/} layout. */
    OFFICIAL("official", List.of("flux", "ae", "uso", "t5", "clip", "siglip")),
    /** ComfyUI repacks in the ComfyUI {@code models/} layout (bf16 FLUX, fp16 T5). */
    COMFY("comfy", List.of("comfy-flux", "comfy-ae", "comfy-uso", "comfy-clip", "comfy-t5", "comfy-siglip", "tokenizers")),
    /** Like {@link #COMFY} with city96's Q8_0 GGUF FLUX and T5 encoder (about 18 GB instead of 34 GB). */
    GGUF_Q8("gguf-q8", List.of("gguf-flux-q8", "comfy-ae", "comfy-uso", "comfy-clip", "gguf-t5-q8", "comfy-siglip", "tokenizers")),
    /** The USO-Bench metric models of {@code uso4j eval} (CLIP ViT-B/32, DINO ViT-S/16, CSD ViT-L), under {@code eval/}. */
    EVAL("eval", List.of("eval-clip", "eval-dino", "eval-csd"));

    private final String cliName;
    private final List<String> components;

    WeightSet(String cliName, List<String> components) {
        this.cliName = cliName;
        this.components = components;
    }

    /** The name used on the command line. */
    public String cliName() {
        return cliName;
    }

    /** The set's components, in download order. */
    public List<WeightComponent> components() {
        return components.stream().map(WeightCatalog::component).toList();
    }

    /** The set called {@code name} (as {@link #cliName()}; case-insensitive, {@code _} accepted for {@code -}). */
    public static WeightSet named(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        for (WeightSet s : values()) if (s.cliName.equals(n)) return s;
        throw new IllegalArgumentException("unknown weight set '" + name + "'; known: "
                + Arrays.stream(values()).map(WeightSet::cliName).collect(Collectors.joining(", ")));
    }
}
