package org.uso4j.pipeline.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uso4j.pipeline.image.RgbImage;

/** The validated edge of the engine: requests, batch files and model-file discovery reject bad input by name. */
class GenerationRequestTest {
    static final RgbImage IMG = new RgbImage(4, 4, new byte[48]);

    private static String fails(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test void sizesAreFlooredToSixteenAndValidated() {
        GenerationRequest r = GenerationRequest.builder("x").size(72, 56).build();
        assertEquals(64, r.effectiveWidth());
        assertEquals(48, r.effectiveHeight());
        assertTrue(fails(() -> GenerationRequest.builder("x").size(0, 64).build()).startsWith("width/height"));
        assertTrue(fails(() -> GenerationRequest.builder("x").size(15, 64).build()).contains("at least 16"));
        assertTrue(fails(() -> GenerationRequest.builder("x").size(64, 100_000).build()).contains("at most"));
        assertTrue(fails(() -> GenerationRequest.builder("x").steps(0).build()).startsWith("num_steps"));
        assertTrue(fails(() -> GenerationRequest.builder("x").guidance(Float.NaN).build()).startsWith("guidance"));
        assertTrue(fails(() -> GenerationRequest.builder("x").contentLongSide(8).build()).startsWith("content_ref"));
        assertTrue(fails(() -> GenerationRequest.builder("x").loraWeight(Float.POSITIVE_INFINITY).build()).startsWith("lora_weight"));
        assertTrue(fails(() -> new GenerationRequest(null, List.of(), List.of(), 64, 64, 1, 4, 0, null, 512, 1, null, null)).startsWith("prompt"));
    }

    @Test void modesFollowFromTheImages() {
        assertEquals("text-to-image", GenerationRequest.builder("x").build().mode());
        assertEquals("subject", GenerationRequest.builder("x").content(IMG).build().mode());
        assertEquals("style", GenerationRequest.builder("x").style(IMG).build().mode());
        assertEquals("multi-style", GenerationRequest.builder("x").style(IMG).style(IMG).build().mode());
        assertEquals("style-subject", GenerationRequest.builder("x").content(IMG).style(IMG).build().mode());
        assertEquals("layout-preserved", GenerationRequest.builder("").content(IMG).style(IMG).build().mode());
        assertEquals(3407 + 1_000_003L, GenerationRequest.builder("x").build().effectivePosteriorSeed());
        assertEquals(2025L, GenerationRequest.builder("x").posteriorSeed(2025L).build().effectivePosteriorSeed());
    }

    @Test void batchFilesAreCheckedItemByItem(@TempDir Path tmp) throws Exception {
        Path ok = Files.writeString(tmp.resolve("ok.json"), """
                [{"prompt": "a", "image_paths": [], "save_dir": "t2i"}, {"prompt": "", "image_paths": ["c.png", "s1.png", "s2.png"]},
                 {"prompt": "b", "image_paths": ["", "s.png"]}]""");
        List<BatchEntry> e = BatchEntry.read(ok);
        assertEquals(3, e.size());
        assertEquals("c.png", e.get(1).contentPath());
        assertEquals(List.of("s1.png", "s2.png"), e.get(1).stylePaths());
        assertEquals("", e.get(2).contentPath());
        assertEquals(List.of(), e.get(0).stylePaths());
        assertTrue(fails(() -> BatchEntry.read(write(tmp, "{}"))).contains("expected a JSON list"));
        assertTrue(fails(() -> BatchEntry.read(write(tmp, "[{\"image_paths\": []}]"))).contains("item 0: \"prompt\""));
        assertTrue(fails(() -> BatchEntry.read(write(tmp, "[{\"prompt\": \"a\", \"image_paths\": \"x.png\"}]"))).contains("image_paths"));
        assertTrue(fails(() -> BatchEntry.read(write(tmp, "[{\"prompt\": \"a\", \"save_dir\": \"../up\"}]"))).contains("save_dir"));
        assertTrue(fails(() -> BatchEntry.read(write(tmp, "[{\"prompt\": "))).contains("not a readable JSON"));
    }

    private static Path write(Path dir, String json) {
        try {
            return Files.writeString(Files.createTempFile(dir, "b", ".json"), json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test void modelFilesAreFoundInBothLayoutsAndMissingOnesExplained(@TempDir Path tmp) throws Exception {
        Path official = tmp.resolve("official");
        for (String f : List.of("weights/FLUX.1-dev/flux1-dev.safetensors", "weights/FLUX.1-dev/ae.safetensors",
                "weights/USO/uso_flux_v1.0/dit_lora.safetensors", "weights/USO/uso_flux_v1.0/projector.safetensors")) {
            Files.createDirectories(official.resolve(f).getParent());
            Files.write(official.resolve(f), new byte[0]);
        }
        for (String d : List.of("weights/t5-xxl", "weights/clip-vit-l14", "weights/siglip")) Files.createDirectories(official.resolve(d));
        ModelFiles f = ModelFiles.discover(official, null);
        assertEquals(official.resolve("weights/t5-xxl"), f.get(ModelComponent.T5));

        Path comfy = tmp.resolve("comfy");
        for (String p : List.of("models/diffusion_models/flux1-dev-Q8_0.gguf", "models/vae/ae.safetensors",
                "models/loras/uso-flux1-dit-lora-v1.safetensors", "models/model_patches/uso-flux1-projector-v1.safetensors",
                "models/text_encoders/t5xxl_fp16.safetensors", "models/text_encoders/clip_l.safetensors",
                "models/clip_vision/sigclip_vision_patch14_384.safetensors")) {
            Files.createDirectories(comfy.resolve(p).getParent());
            Files.write(comfy.resolve(p), new byte[0]);
        }
        ModelFiles c = ModelFiles.discover(comfy, null);
        assertEquals(comfy.resolve("models/diffusion_models/flux1-dev-Q8_0.gguf"), c.get(ModelComponent.FLUX));
        Files.write(comfy.resolve("models/diffusion_models/other.gguf"), new byte[0]);
        assertTrue(fails(() -> ModelFiles.discover(comfy, null)).contains("several candidates"));
        ModelFiles chosen = ModelFiles.discover(comfy, java.util.Map.of(ModelComponent.FLUX, comfy.resolve("models/diffusion_models/other.gguf")));
        assertEquals("other.gguf", chosen.get(ModelComponent.FLUX).getFileName().toString());

        String missing = fails(() -> ModelFiles.discover(tmp.resolve("empty"), null));
        for (ModelComponent m : ModelComponent.values()) assertTrue(missing.contains(m.description()) && missing.contains(m.flag()), missing);
        assertTrue(missing.contains("huggingface") || missing.contains("black-forest-labs/FLUX.1-dev"), missing);
    }
}
