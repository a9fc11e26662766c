package org.uso4j.app;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.uso4j.pipeline.generate.ModelComponent;
import org.uso4j.pipeline.generate.ModelFiles;
import picocli.CommandLine.Option;

/** {@code --models DIR} plus one override flag per model file (shared by generate, serve and eval). */
final class ModelOptions {
    @Option(names = "--models", paramLabel = "DIR", description = "folder holding the weights (official weights/ layout or ComfyUI models/ layout)")
    Path models;

    @Option(names = "--flux", paramLabel = "FILE", description = "FLUX transformer (safetensors, fp8, GGUF, diffusers folder)") Path flux;
    @Option(names = "--ae", paramLabel = "FILE", description = "FLUX VAE ae.safetensors") Path ae;
    @Option(names = "--lora", paramLabel = "FILE", description = "USO LoRA dit_lora.safetensors") Path lora;
    @Option(names = "--projector", paramLabel = "FILE", description = "USO projector projector.safetensors") Path projector;
    @Option(names = "--t5", paramLabel = "PATH", description = "T5-XXL folder or file") Path t5;
    @Option(names = "--clip-l", paramLabel = "PATH", description = "CLIP-L text encoder folder or file") Path clip;
    @Option(names = "--siglip", paramLabel = "PATH", description = "SigLIP so400m folder or file") Path siglip;

    ModelFiles resolve() {
        Map<ModelComponent, Path> o = new EnumMap<>(ModelComponent.class);
        put(o, ModelComponent.FLUX, flux);
        put(o, ModelComponent.AE, ae);
        put(o, ModelComponent.LORA, lora);
        put(o, ModelComponent.PROJECTOR, projector);
        put(o, ModelComponent.T5, t5);
        put(o, ModelComponent.CLIP, clip);
        put(o, ModelComponent.SIGLIP, siglip);
        if (models != null && !java.nio.file.Files.isDirectory(models)) {
            throw new IllegalArgumentException("--models " + models + ": " + (java.nio.file.Files.exists(models) ? "not a folder" : "no such folder")
                    + " (the folder holding weights/ or models/; 'uso4j download --models DIR' fills one, 'uso4j demo-model DIR' writes a tiny one)");
        }
        return ModelFiles.discover(models, o);
    }

    private static void put(Map<ModelComponent, Path> m, ModelComponent c, Path p) {
        if (p != null) m.put(c, p);
    }
}
