package org.uso4j.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The flags of the official {@code inference.py} that have no uso4j counterpart of their own, accepted as its
 * {@code HfArgumentParser} takes them ({@code --only_lora}, {@code --only_lora False}); each gets a one-line note
 * saying how uso4j handles it.
 */
final class OfficialFlags {
    static final List<String> MODEL_TYPES = List.of("flux-dev", "flux-dev-fp8", "flux-schnell", "flux-krea-dev");

    @Option(names = {"--model_type", "--model-type"}, paramLabel = "TYPE", defaultValue = "flux-dev",
            description = "official flag: flux-dev, flux-dev-fp8, flux-schnell or flux-krea-dev; uso4j runs the FLUX file it is given "
                    + "(--flux or --models) in the dtype stored, so this is only recorded")
    String modelType;

    @Option(names = {"--only_lora", "--only-lora"}, arity = "0..1", paramLabel = "BOOL", defaultValue = "true", fallbackValue = "true", showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
            description = "official flag: the USO checkpoint is a LoRA (always so for the released one); False is not supported")
    boolean onlyLora;

    @Option(names = {"--use_siglip", "--use-siglip"}, arity = "0..1", paramLabel = "BOOL", defaultValue = "true", fallbackValue = "true", showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
            description = "official flag: style images go through SigLIP and the projector; False is refused (without SigLIP the official code ignores them)")
    boolean useSiglip;

    @Option(names = {"--ckpt_path", "--ckpt-path"}, paramLabel = "FILE",
            description = "official flag: the USO LoRA file (dit_lora.safetensors); the same as --lora")
    Path ckptPath;

    @Option(names = {"--hf_download", "--hf-download"}, arity = "0..1", paramLabel = "BOOL", defaultValue = "false", fallbackValue = "true", showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
            description = "official flag: generate never downloads; fetch the weights once with 'uso4j download --models DIR'")
    boolean hfDownload;

    /** Checks the values and returns the notes to print (empty when every flag has its default). */
    List<String> check(picocli.CommandLine cmd, ModelOptions models) {
        List<String> notes = new ArrayList<>();
        if (!MODEL_TYPES.contains(modelType)) {
            throw new ParameterException(cmd, "--model_type must be one of " + String.join(", ", MODEL_TYPES) + ", got '" + modelType + "'");
        }
        if (!modelType.equals("flux-dev")) {
            notes.add("note: --model_type " + modelType + " is recorded only: uso4j runs the FLUX file it finds or is given (--flux), in the dtype"
                    + " stored (fp8 files are used as fp8; --quantize fp8 converts a bf16 one at load)");
        }
        if (!onlyLora) {
            throw new ParameterException(cmd, "--only_lora False (a full fine-tuned DiT) is not supported: give a full FLUX file with --flux and the USO LoRA with --lora");
        }
        if (!useSiglip) {
            throw new ParameterException(cmd, "--use_siglip False is not supported: uso4j always encodes style images with SigLIP; leave out the style images instead");
        }
        if (ckptPath != null) {
            if (models.lora != null) throw new ParameterException(cmd, "give the LoRA once: --ckpt_path and --lora both given");
            models.lora = ckptPath;
            notes.add("note: --ckpt_path is read as the USO LoRA (--lora " + ckptPath + ")");
        }
        if (hfDownload) notes.add("note: --hf_download: generate never downloads; run 'uso4j download --models DIR' once, then --models DIR");
        return notes;
    }

    /** The values as the official sidecar records them. */
    void record(Map<String, Object> sidecar) {
        sidecar.put("model_type", modelType);
        sidecar.put("only_lora", onlyLora);
        sidecar.put("ckpt_path", ckptPath == null ? null : ckptPath.toString());
        sidecar.put("use_siglip", useSiglip);
        sidecar.put("hf_download", hfDownload);
    }
}
