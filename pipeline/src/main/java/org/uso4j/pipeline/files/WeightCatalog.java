package org.uso4j.pipeline.files;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every weight file uso4j knows how to fetch: hub repository, revision, remote file, local path under the
 * models folder, gated flag and approximate size. Immutable; the downloader and the model-file discovery
 * ("where to get it" hints) read the same table.
 *
 * <p>Two layouts:
 * <ul>
 *   <li>{@code weights/...}: the official USO layout, what {@code weights/downloader.py} (bytedance/USO)
 *       writes when run from the repository root, and what {@code example.env} points at
 *       ({@code FLUX_DEV}, {@code AE}, {@code T5}, {@code CLIP}, {@code LORA}, {@code PROJECTION_MODEL},
 *       {@code SIGLIP_PATH}).</li>
 *   <li>{@code models/...}: the ComfyUI layout ({@code diffusion_models}, {@code loras}, {@code model_patches},
 *       {@code clip_vision}, {@code text_encoders}, {@code vae}) as the ComfyUI USO tutorial places the repacks.</li>
 * </ul>
 * File names were checked against the hub listings (docs.comfy.org USO tutorial, huggingface.co tree pages);
 * entries marked "unconfirmed" below were not.
 */
public final class WeightCatalog {
    private WeightCatalog() {}

    private static final String MAIN = "main";
    private static final String FLUX_DEV = "black-forest-labs/FLUX.1-dev"; // gated: license must be accepted on the hub
    private static final String USO = "bytedance-research/USO";
    private static final String T5_XXL = "google/t5-v1_1-xxl";
    private static final String CLIP_L = "openai/clip-vit-large-patch14";
    private static final String SIGLIP = "google/siglip-so400m-patch14-384";

    /** All components, official ones first. */
    public static final List<WeightComponent> COMPONENTS = List.of(
            // ---- official layout (weights/downloader.py) ----
            component("flux", "FLUX.1-dev transformer, bf16 (gated)",
                    file(FLUX_DEV, "flux1-dev.safetensors", "weights/FLUX.1-dev/flux1-dev.safetensors", true, gb(23.80))),
            component("ae", "FLUX.1 autoencoder (gated)",
                    file(FLUX_DEV, "ae.safetensors", "weights/FLUX.1-dev/ae.safetensors", true, mb(335))),
            // downloader.py snapshots the whole repo into weights/USO; only these files are used.
            // Sizes unconfirmed (the ComfyUI repack of the same LoRA / projector is 478 MB / 21.5 MB).
            component("uso", "USO DiT LoRA + SigLIP style projector",
                    file(USO, "uso_flux_v1.0/dit_lora.safetensors", "weights/USO/uso_flux_v1.0/dit_lora.safetensors", false, mb(478)),
                    file(USO, "uso_flux_v1.0/projector.safetensors", "weights/USO/uso_flux_v1.0/projector.safetensors", false, mb(21.5)),
                    file(USO, "README.md", "weights/USO/README.md", false, kb(10))),
            // pytorch_model.bin is the whole T5ForConditionalGeneration in f32 (encoder + decoder); uso4j reads the encoder.
            component("t5", "T5 v1.1 XXL text encoder + tokenizer (44.5 GB f32 .bin)",
                    file(T5_XXL, "config.json", "weights/t5-xxl/config.json", false, kb(0.5)),
                    file(T5_XXL, "tokenizer_config.json", "weights/t5-xxl/tokenizer_config.json", false, kb(1.9)),
                    file(T5_XXL, "special_tokens_map.json", "weights/t5-xxl/special_tokens_map.json", false, kb(1.8)),
                    file(T5_XXL, "spiece.model", "weights/t5-xxl/spiece.model", false, kb(792)),
                    file(T5_XXL, "pytorch_model.bin", "weights/t5-xxl/pytorch_model.bin", false, gb(44.5))),
            component("clip", "CLIP ViT-L/14 (text encoder used) + tokenizer",
                    file(CLIP_L, "config.json", "weights/clip-vit-l14/config.json", false, kb(4.5)),
                    file(CLIP_L, "merges.txt", "weights/clip-vit-l14/merges.txt", false, kb(525)),
                    file(CLIP_L, "vocab.json", "weights/clip-vit-l14/vocab.json", false, kb(961)),
                    file(CLIP_L, "tokenizer_config.json", "weights/clip-vit-l14/tokenizer_config.json", false, kb(0.9)),
                    file(CLIP_L, "special_tokens_map.json", "weights/clip-vit-l14/special_tokens_map.json", false, kb(0.4)),
                    file(CLIP_L, "pytorch_model.bin", "weights/clip-vit-l14/pytorch_model.bin", false, gb(1.71))),
            // downloader.py snapshots the whole repo into weights/siglip; uso4j needs these three.
            component("siglip", "SigLIP so400m/14 @384 (vision tower used)",
                    file(SIGLIP, "config.json", "weights/siglip/config.json", false, kb(0.6)),
                    file(SIGLIP, "preprocessor_config.json", "weights/siglip/preprocessor_config.json", false, kb(0.4)),
                    file(SIGLIP, "model.safetensors", "weights/siglip/model.safetensors", false, gb(3.51))),
            // Drop-in for "t5": the same T5-XXL encoder only, bf16, sharded safetensors (9.5 GB instead of 44.5 GB);
            // the repo listing (huggingface.co/XLabs-AI/xflux_text_encoders/tree/main) has exactly these files.
            // Goes into the same weights/t5-xxl folder, so it cannot be combined with "t5".
            component("t5-xflux", "T5-XXL encoder only, bf16 sharded safetensors (instead of t5)",
                    file("XLabs-AI/xflux_text_encoders", "config.json", "weights/t5-xxl/config.json", false, kb(0.8)),
                    file("XLabs-AI/xflux_text_encoders", "tokenizer_config.json", "weights/t5-xxl/tokenizer_config.json", false, kb(20.6)),
                    file("XLabs-AI/xflux_text_encoders", "special_tokens_map.json", "weights/t5-xxl/special_tokens_map.json", false, kb(2.5)),
                    file("XLabs-AI/xflux_text_encoders", "added_tokens.json", "weights/t5-xxl/added_tokens.json", false, kb(2.6)),
                    file("XLabs-AI/xflux_text_encoders", "spiece.model", "weights/t5-xxl/spiece.model", false, kb(792)),
                    file("XLabs-AI/xflux_text_encoders", "model.safetensors.index.json", "weights/t5-xxl/model.safetensors.index.json", false, kb(19.9)),
                    file("XLabs-AI/xflux_text_encoders", "model-00001-of-00002.safetensors", "weights/t5-xxl/model-00001-of-00002.safetensors", false, gb(4.99)),
                    file("XLabs-AI/xflux_text_encoders", "model-00002-of-00002.safetensors", "weights/t5-xxl/model-00002-of-00002.safetensors", false, gb(4.53))),

            // ---- ComfyUI layout (models/...) ----
            component("comfy-flux", "FLUX.1-dev transformer, bf16, as a ComfyUI diffusion model (gated)",
                    file(FLUX_DEV, "flux1-dev.safetensors", "models/diffusion_models/flux1-dev.safetensors", true, gb(23.80))),
            component("comfy-ae", "FLUX.1 autoencoder as a ComfyUI VAE (gated)",
                    file(FLUX_DEV, "ae.safetensors", "models/vae/ae.safetensors", true, mb(335))),
            component("comfy-uso", "USO LoRA + projector, ComfyUI repack",
                    file("Comfy-Org/USO_1.0_Repackaged", "split_files/loras/uso-flux1-dit-lora-v1.safetensors",
                            "models/loras/uso-flux1-dit-lora-v1.safetensors", false, mb(478)),
                    file("Comfy-Org/USO_1.0_Repackaged", "split_files/model_patches/uso-flux1-projector-v1.safetensors",
                            "models/model_patches/uso-flux1-projector-v1.safetensors", false, mb(21.5))),
            component("comfy-clip", "CLIP-L text encoder, ComfyUI single file",
                    file("comfyanonymous/flux_text_encoders", "clip_l.safetensors", "models/text_encoders/clip_l.safetensors", false, mb(246))),
            component("comfy-t5", "T5-XXL encoder fp16, ComfyUI single file",
                    file("comfyanonymous/flux_text_encoders", "t5xxl_fp16.safetensors", "models/text_encoders/t5xxl_fp16.safetensors", false, gb(9.79))),
            component("comfy-t5-fp8", "T5-XXL encoder fp8 e4m3fn, ComfyUI single file",
                    file("comfyanonymous/flux_text_encoders", "t5xxl_fp8_e4m3fn.safetensors", "models/text_encoders/t5xxl_fp8_e4m3fn.safetensors", false, gb(4.89))),
            component("comfy-siglip", "SigLIP so400m/14 @384 vision tower, ComfyUI clip_vision file",
                    file("Comfy-Org/sigclip_vision_384", "sigclip_vision_patch14_384.safetensors",
                            "models/clip_vision/sigclip_vision_patch14_384.safetensors", false, mb(857))),
            // A quantisation of the gated model, but city96's repo itself is not gated (unconfirmed; the flag only
            // changes the hint: a 401/403 is explained either way).
            component("gguf-flux-q8", "FLUX.1-dev transformer, GGUF Q8_0 (city96)",
                    file("city96/FLUX.1-dev-gguf", "flux1-dev-Q8_0.gguf", "models/diffusion_models/flux1-dev-Q8_0.gguf", false, gb(12.7))),
            component("gguf-t5-q8", "T5-XXL encoder, GGUF Q8_0 (city96)",
                    file("city96/t5-v1_1-xxl-encoder-gguf", "t5-v1_1-xxl-encoder-Q8_0.gguf", "models/text_encoders/t5-v1_1-xxl-encoder-Q8_0.gguf", false, gb(5.06))),
            // uso4j's own addition to the ComfyUI layout: ComfyUI ships the T5 and CLIP tokenizers inside its code,
            // the single-file encoders above hold no vocabulary. Small files from the official repos.
            component("tokenizers", "T5 and CLIP tokenizer files for the single-file encoders",
                    file(T5_XXL, "spiece.model", "models/tokenizers/t5-v1_1-xxl/spiece.model", false, kb(792)),
                    file(T5_XXL, "tokenizer_config.json", "models/tokenizers/t5-v1_1-xxl/tokenizer_config.json", false, kb(1.9)),
                    file(T5_XXL, "special_tokens_map.json", "models/tokenizers/t5-v1_1-xxl/special_tokens_map.json", false, kb(1.8)),
                    file(CLIP_L, "vocab.json", "models/tokenizers/clip-vit-large-patch14/vocab.json", false, kb(961)),
                    file(CLIP_L, "merges.txt", "models/tokenizers/clip-vit-large-patch14/merges.txt", false, kb(525)),
                    file(CLIP_L, "tokenizer_config.json", "models/tokenizers/clip-vit-large-patch14/tokenizer_config.json", false, kb(0.9)),
                    file(CLIP_L, "special_tokens_map.json", "models/tokenizers/clip-vit-large-patch14/special_tokens_map.json", false, kb(0.4))),

            // ---- the USO-Bench metric models (uso4j eval), in the folders eval looks in under --models ----
            // Sizes as the hub listings show them (CSD's unconfirmed); the real files' sizes are checked at download.
            component("eval-clip", "OpenAI CLIP ViT-B/32 (CLIP-I, CLIP-T), Hugging Face layout + tokenizer",
                    file("openai/clip-vit-base-patch32", "config.json", "eval/clip-vit-base-patch32/config.json", false, kb(4.2)),
                    file("openai/clip-vit-base-patch32", "vocab.json", "eval/clip-vit-base-patch32/vocab.json", false, kb(862)),
                    file("openai/clip-vit-base-patch32", "merges.txt", "eval/clip-vit-base-patch32/merges.txt", false, kb(525)),
                    file("openai/clip-vit-base-patch32", "pytorch_model.bin", "eval/clip-vit-base-patch32/pytorch_model.bin", false, mb(605))),
            component("eval-dino", "DINO ViT-S/16 (DINO score), Hugging Face layout",
                    file("facebook/dino-vits16", "config.json", "eval/dino-vits16/config.json", false, kb(0.5)),
                    file("facebook/dino-vits16", "pytorch_model.bin", "eval/dino-vits16/pytorch_model.bin", false, mb(86.7))),
            component("eval-csd", "CSD ViT-L (CSD style score)",
                    file("tomg-group-umd/CSD-ViT-L", "pytorch_model.bin", "eval/csd-vit-l/pytorch_model.bin", false, gb(1.22))));

    private static final Map<String, WeightComponent> BY_NAME;
    private static final Map<String, WeightFile> BY_LOCAL_PATH;

    static {
        Map<String, WeightComponent> byName = new LinkedHashMap<>();
        Map<String, WeightFile> byPath = new HashMap<>();
        for (WeightComponent c : COMPONENTS) {
            if (byName.put(c.name(), c) != null) throw new IllegalStateException("duplicate component " + c.name());
            // same local path from two sources (t5 and t5-xflux): the first, official one is the hint
            for (WeightFile f : c.files()) byPath.putIfAbsent(f.localPath(), f);
        }
        BY_NAME = Map.copyOf(byName);
        BY_LOCAL_PATH = Map.copyOf(byPath);
    }

    /** The component called {@code name}. */
    public static WeightComponent component(String name) {
        WeightComponent c = BY_NAME.get(name.trim().toLowerCase(java.util.Locale.ROOT));
        if (c == null) throw new IllegalArgumentException("unknown component '" + name + "'; known: "
                + COMPONENTS.stream().map(WeightComponent::name).collect(Collectors.joining(", ")));
        return c;
    }

    /** Where a file at {@code localPath} (relative to the models folder, {@code /}-separated) comes from, if uso4j knows. */
    public static Optional<WeightFile> sourceOf(String localPath) {
        return Optional.ofNullable(BY_LOCAL_PATH.get(localPath.replace('\\', '/')));
    }

    /** The component that holds {@code file} (the first one, for files shared between components). */
    public static Optional<WeightComponent> componentOf(WeightFile file) {
        return COMPONENTS.stream().filter(c -> c.files().contains(file)).findFirst();
    }

    /**
     * The files of {@code components}, without duplicates, in order. Fails when two different sources would
     * write the same local file (e.g. {@code t5} with {@code t5-xflux}).
     */
    public static List<WeightFile> files(List<WeightComponent> components) {
        Map<String, WeightFile> byPath = new LinkedHashMap<>();
        Map<String, String> owner = new HashMap<>();
        for (WeightComponent c : components) {
            for (WeightFile f : c.files()) {
                WeightFile prev = byPath.putIfAbsent(f.localPath(), f);
                if (prev == null) owner.put(f.localPath(), c.name());
                else if (!prev.repo().equals(f.repo()) || !prev.remotePath().equals(f.remotePath()) || !prev.revision().equals(f.revision()))
                    throw new IllegalArgumentException("components " + owner.get(f.localPath()) + " and " + c.name()
                            + " both write " + f.localPath() + " (from " + prev.source() + " and " + f.source() + "): choose one");
            }
        }
        return List.copyOf(new ArrayList<>(byPath.values()));
    }

    private static WeightComponent component(String name, String description, WeightFile... files) {
        return new WeightComponent(name, description, List.of(files));
    }

    private static WeightFile file(String repo, String remote, String local, boolean gated, long bytes) {
        return new WeightFile(repo, MAIN, remote, local, gated, bytes);
    }

    private static long gb(double v) { return Math.round(v * 1e9); }
    private static long mb(double v) { return Math.round(v * 1e6); }
    private static long kb(double v) { return Math.round(v * 1e3); }
}
