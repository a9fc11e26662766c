package org.uso4j.pipeline.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightCatalogTest {
    @Test void officialSetIsTheLayoutOfTheOfficialDownloader() {
        // weights/downloader.py (bytedance/USO), run from the repository root; USO and SigLIP are snapshots there,
        // of which only these files are used.
        List<String> expected = List.of(
                "weights/FLUX.1-dev/flux1-dev.safetensors", "weights/FLUX.1-dev/ae.safetensors",
                "weights/USO/uso_flux_v1.0/dit_lora.safetensors", "weights/USO/uso_flux_v1.0/projector.safetensors", "weights/USO/README.md",
                "weights/t5-xxl/config.json", "weights/t5-xxl/tokenizer_config.json", "weights/t5-xxl/special_tokens_map.json",
                "weights/t5-xxl/spiece.model", "weights/t5-xxl/pytorch_model.bin",
                "weights/clip-vit-l14/config.json", "weights/clip-vit-l14/merges.txt", "weights/clip-vit-l14/vocab.json",
                "weights/clip-vit-l14/tokenizer_config.json", "weights/clip-vit-l14/special_tokens_map.json",
                "weights/clip-vit-l14/pytorch_model.bin",
                "weights/siglip/config.json", "weights/siglip/preprocessor_config.json", "weights/siglip/model.safetensors");
        List<WeightFile> files = WeightCatalog.files(WeightSet.OFFICIAL.components());
        assertEquals(expected, files.stream().map(WeightFile::localPath).toList());
        for (WeightFile f : files) {
            assertEquals("main", f.revision());
            assertEquals(f.repo().equals("black-forest-labs/FLUX.1-dev"), f.gated(), f.source());
        }
    }

    @Test void everySetResolvesWithoutCollisionsAndComfySetsUseTheComfyLayout() {
        for (WeightSet s : WeightSet.values()) {
            List<WeightFile> files = WeightCatalog.files(s.components());
            assertFalse(files.isEmpty());
            Set<String> paths = new HashSet<>();
            for (WeightFile f : files) assertTrue(paths.add(f.localPath()), f.localPath());
            String root = s == WeightSet.EVAL ? "eval/" : "models/";  // the metric models go where uso4j eval looks under --models
            if (s != WeightSet.OFFICIAL)
                for (WeightFile f : files) assertTrue(f.localPath().startsWith(root), f.localPath());
            assertEquals(s, WeightSet.named(s.cliName()));
        }
        assertEquals(WeightSet.GGUF_Q8, WeightSet.named("GGUF_Q8"));
        assertThrows(IllegalArgumentException.class, () -> WeightSet.named("fp4"));
    }

    @Test void comfyRepacksGoWhereComfyUiLooks() {
        Map<String, String> expected = Map.of(
                "comfy-uso", "models/loras/uso-flux1-dit-lora-v1.safetensors",
                "comfy-siglip", "models/clip_vision/sigclip_vision_patch14_384.safetensors",
                "comfy-ae", "models/vae/ae.safetensors",
                "comfy-flux", "models/diffusion_models/flux1-dev.safetensors",
                "gguf-flux-q8", "models/diffusion_models/flux1-dev-Q8_0.gguf",
                "gguf-t5-q8", "models/text_encoders/t5-v1_1-xxl-encoder-Q8_0.gguf",
                "comfy-clip", "models/text_encoders/clip_l.safetensors");
        expected.forEach((c, p) -> assertEquals(p, WeightCatalog.component(c).files().get(0).localPath(), c));
        assertEquals("split_files/model_patches/uso-flux1-projector-v1.safetensors",
                WeightCatalog.component("comfy-uso").files().get(1).remotePath());
    }

    @Test void componentsWritingTheSameFileFromDifferentSourcesCannotBeCombined() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightCatalog.files(List.of(WeightCatalog.component("t5"), WeightCatalog.component("t5-xflux"))));
        assertTrue(e.getMessage().contains("t5") && e.getMessage().contains("t5-xflux") && e.getMessage().contains("weights/t5-xxl/"), e.getMessage());
        // the same file twice (comfy-ae in a set and on its own) is fetched once
        assertEquals(1, WeightCatalog.files(List.of(WeightCatalog.component("comfy-ae"), WeightCatalog.component("comfy-ae"))).size());
    }

    @Test void unknownComponentNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightCatalog.component("fluxx"));
        assertTrue(e.getMessage().contains("flux") && e.getMessage().contains("siglip"), e.getMessage());
        assertEquals("flux", WeightCatalog.component(" FLUX ").name());
    }

    @Test void sourceOfAnExpectedLocalFileGivesTheHint() {
        WeightFile ae = WeightCatalog.sourceOf("weights/FLUX.1-dev/ae.safetensors").orElseThrow();
        assertEquals("black-forest-labs/FLUX.1-dev", ae.repo());
        assertTrue(ae.gated());
        assertEquals("google/t5-v1_1-xxl", WeightCatalog.sourceOf("weights/t5-xxl/spiece.model").orElseThrow().repo(),
                "a path shared by t5 and t5-xflux names the official source");
        assertEquals("ae", WeightCatalog.componentOf(ae).orElseThrow().name());
        assertTrue(WeightCatalog.sourceOf("weights/nothing.bin").isEmpty());
    }

    @Test void weightFileRefusesPathsThatLeaveTheModelsFolder() {
        for (String bad : List.of("../x", "/abs", "a//b", "a/./b", "a\\b", "a/"))
            assertThrows(IllegalArgumentException.class, () -> new WeightFile("o/r", "main", "x", bad, false, 1), bad);
        assertThrows(IllegalArgumentException.class, () -> new WeightFile("no-slash", "main", "x", "y", false, 1));
    }

    @Test void resolveUrlEncodesSegmentsAndKeepsABasePath() {
        WeightFile f = new WeightFile("black-forest-labs/FLUX.1-dev", "main", "dir/a b+c.safetensors", "x/y", true, 1);
        assertEquals("https://huggingface.co/black-forest-labs/FLUX.1-dev/resolve/main/dir/a%20b%2Bc.safetensors",
                HubEndpoint.DEFAULT.resolveUrl(f).toString());
        assertEquals("http://127.0.0.1:8080/mirror/black-forest-labs/FLUX.1-dev/resolve/main/dir/a%20b%2Bc.safetensors",
                HubEndpoint.of("http://127.0.0.1:8080/mirror/").resolveUrl(f).toString());
        assertEquals("https://huggingface.co/black-forest-labs/FLUX.1-dev", HubEndpoint.DEFAULT.repoPage(f.repo()));
        for (String bad : List.of("ftp://x", "huggingface.co", "https://x/?q=1", "::"))
            assertThrows(IllegalArgumentException.class, () -> HubEndpoint.of(bad), bad);
    }

    @Test void etagsAreNormalisedAndClassified() {
        String sha = "ab".repeat(32);
        assertEquals(sha, new RemoteFile(1, "W/\"" + sha.toUpperCase() + "\"", null).sha256().orElseThrow());
        assertEquals("cd".repeat(20), new RemoteFile(1, "\"" + "cd".repeat(20) + "\"", "").gitBlobSha1().orElseThrow());
        assertTrue(new RemoteFile(-1, "\"xyz-123\"", "").sha256().isEmpty());
        assertTrue(new RemoteFile(-1, null, null).gitBlobSha1().isEmpty());
    }

    @Test void progressLineShowsBytesRateAndEta() {
        ProgressLine p = new ProgressLine("flux1-dev.safetensors", 23_800_000_000L, 1_000_000_000L, 0);
        String line = p.render(3_000_000_000L, 20_000_000_000L); // 2 GB in 20 s: 100 MB/s, 20.8 GB left
        assertEquals("flux1-dev.safetensors  3.00 GB / 23.80 GB   12.6%  100.0 MB/s  ETA 3m28s", line);
        assertEquals("x  1.5 kB  0 B/s", new ProgressLine("x", -1, 0, 0).render(1500, 0));
        assertEquals("2h05m", ProgressLine.duration(7500));
        assertEquals("17 B", ProgressLine.bytes(17));
    }

    @Test void tokenComesFromTheFlagThenTheEnvironmentThenTheLoginFile(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_file\n");
        assertEquals("hf_flag", HubToken.resolve("hf_flag", Map.of("HF_TOKEN", "hf_env"), home).orElseThrow().token());
        assertEquals("hf_env", HubToken.resolve(null, Map.of("HF_TOKEN", "hf_env", "HUGGING_FACE_HUB_TOKEN", "hf_old"), home).orElseThrow().token());
        assertEquals("hf_old", HubToken.resolve("", Map.of("HUGGING_FACE_HUB_TOKEN", "hf_old"), home).orElseThrow().token());
        HubToken.Found fromFile = HubToken.resolve(null, Map.of(), home).orElseThrow();
        assertEquals("hf_file", fromFile.token());
        assertFalse(fromFile.toString().contains("hf_file"), "the token is never printed");
        assertTrue(HubToken.resolve(null, Map.of("HF_HOME", home.resolve("none").toString()), home).isEmpty());
    }

    @Test void localCopyReportsPresentAndPartialFiles(@TempDir Path models) throws Exception {
        WeightFile f = WeightCatalog.component("uso").files().get(1);
        Path target = HubDownloader.targetOf(models, f);
        Files.createDirectories(target.getParent());
        assertEquals(f.approxBytes(), LocalCopy.of(models, f).approxBytesToFetch());
        Files.write(HubDownloader.partOf(target), new byte[1_000_000]);
        LocalCopy partial = LocalCopy.of(models, f);
        assertEquals(1_000_000, partial.partBytes());
        assertEquals(f.approxBytes() - 1_000_000, partial.approxBytesToFetch());
        Files.write(target, new byte[5]);
        assertTrue(LocalCopy.of(models, f).present());
        assertEquals(0, LocalCopy.of(models, f).approxBytesToFetch());
    }
}
