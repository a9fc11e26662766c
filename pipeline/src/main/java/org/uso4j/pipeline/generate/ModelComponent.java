package org.uso4j.pipeline.generate;

import java.util.List;

/**
 * The files a USO run needs, with where each is looked for under {@code --models} (official downloader layout
 * first, then ComfyUI's) and where to get it.
 */
public enum ModelComponent {
    FLUX("FLUX.1-dev transformer", List.of("weights/FLUX.1-dev/flux1-dev.safetensors", "FLUX.1-dev/flux1-dev.safetensors",
            "models/diffusion_models/flux1-dev.safetensors", "models/diffusion_models/*.gguf", "models/diffusion_models/*.safetensors",
            "models/unet/*.gguf", "models/unet/*.safetensors"),
            "black-forest-labs/FLUX.1-dev (gated: accept the license, set HF_TOKEN) file flux1-dev.safetensors; or a GGUF from city96/FLUX.1-dev-gguf"),
    AE("FLUX VAE", List.of("weights/FLUX.1-dev/ae.safetensors", "FLUX.1-dev/ae.safetensors", "models/vae/ae.safetensors",
            "models/vae/*.safetensors"),
            "black-forest-labs/FLUX.1-dev file ae.safetensors"),
    LORA("USO LoRA", List.of("weights/USO/uso_flux_v1.0/dit_lora.safetensors", "USO/uso_flux_v1.0/dit_lora.safetensors",
            "models/loras/uso-flux1-dit-lora-v1.safetensors"),
            "bytedance-research/USO file uso_flux_v1.0/dit_lora.safetensors (or Comfy-Org/USO_1.0_Repackaged)"),
    PROJECTOR("USO style projector", List.of("weights/USO/uso_flux_v1.0/projector.safetensors", "USO/uso_flux_v1.0/projector.safetensors",
            "models/model_patches/uso-flux1-projector-v1.safetensors"),
            "bytedance-research/USO file uso_flux_v1.0/projector.safetensors (or Comfy-Org/USO_1.0_Repackaged)"),
    T5("T5-XXL text encoder", List.of("weights/t5-xxl", "t5-xxl", "models/text_encoders/t5xxl_fp16.safetensors",
            "models/text_encoders/t5xxl_fp8_e4m3fn.safetensors", "models/text_encoders/t5-v1_1-xxl-encoder-*.gguf",
            "models/clip/t5xxl_fp16.safetensors"),
            "google/t5-v1_1-xxl (config.json, spiece.model, tokenizer files, pytorch_model.bin) or comfyanonymous/flux_text_encoders t5xxl_fp16.safetensors"),
    CLIP("CLIP-L text encoder", List.of("weights/clip-vit-l14", "clip-vit-l14", "models/text_encoders/clip_l.safetensors",
            "models/clip/clip_l.safetensors"),
            "openai/clip-vit-large-patch14 (config.json, vocab.json, merges.txt, pytorch_model.bin) or comfyanonymous/flux_text_encoders clip_l.safetensors"),
    SIGLIP("SigLIP so400m vision tower", List.of("weights/siglip", "siglip", "models/clip_vision/sigclip_vision_patch14_384.safetensors"),
            "google/siglip-so400m-patch14-384 (config.json, preprocessor_config.json, model.safetensors) or Comfy-Org/sigclip_vision_384");

    private final String description;
    private final List<String> candidates;
    private final String source;

    ModelComponent(String description, List<String> candidates, String source) {
        this.description = description;
        this.candidates = candidates;
        this.source = source;
    }

    public String description() { return description; }

    /** Relative paths tried in order; {@code *} matches exactly one file in that folder. */
    public List<String> candidates() { return candidates; }

    /** Where to download it. */
    public String source() { return source; }

    /** The CLI flag that overrides discovery. */
    public String flag() { return this == CLIP ? "--clip-l" : "--" + name().toLowerCase(java.util.Locale.ROOT); }
}
