package org.uso4j.pipeline.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.uso4j.core.DType;
import org.uso4j.core.FloatFormats;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.Checkpoints;
import org.uso4j.model.flux.FluxInputs;
import org.uso4j.model.nn.CancelCheck;
import org.uso4j.model.uso.UsoDit;
import org.uso4j.model.vae.AutoEncoder;
import org.uso4j.pipeline.DecodedImage;
import org.uso4j.pipeline.image.ReferencePreprocess;
import org.uso4j.pipeline.image.RgbImage;
import org.uso4j.pipeline.random.LatentNoise;
import org.uso4j.pipeline.random.TorchRandom;
import org.uso4j.pipeline.sampling.EulerSampler;
import org.uso4j.pipeline.sampling.Latents;
import org.uso4j.pipeline.sampling.Schedule;

/**
 * The engine: load a USO model set once, generate many times ({@code uso/flux/pipeline.py USOPipeline.forward} +
 * {@code inference.py}). One generation: seeded bf16 noise → content images through preprocess_ref and the VAE
 * encoder (latents rounded to bf16 as the official code does) → T5/CLIP text conditioning → SigLIP + projector
 * style tokens → the Euler loop over the shifted schedule → VAE decode → uint8. Not thread-safe: one generation
 * at a time.
 */
public final class UsoPipeline implements AutoCloseable {
    private final ModelFiles files;
    private final Backend be;
    private final PipelineOptions options;
    private final Map<String, AutoCloseable> loaded = new LinkedHashMap<>();
    private Progress progress = Progress.NONE;  // the running generation's, told about component loads

    private UsoPipeline(ModelFiles files, Backend be, PipelineOptions options) {
        this.files = files;
        this.be = be;
        this.options = options;
    }

    /** Prepares a pipeline; without offload the stages load on first use and stay loaded. */
    public static UsoPipeline open(ModelFiles files, Backend be, PipelineOptions options) {
        return new UsoPipeline(files, be, options);
    }

    public ModelFiles files() { return files; }

    /** The model's name for image metadata: the FLUX file and the LoRA file, e.g. {@code flux1-dev.safetensors + dit_lora.safetensors}. */
    public String modelName() {
        return files.get(ModelComponent.FLUX).getFileName() + " + " + files.get(ModelComponent.LORA).getFileName();
    }

    /** Generates one image; {@code progress} sees stages and steps and may cancel. */
    public GenerationResult generate(GenerationRequest req, Progress progress) { return generate(req, progress, GenerationTrace.NONE); }

    public synchronized GenerationResult generate(GenerationRequest req, Progress progress, GenerationTrace hostTrace) {
        long t0 = System.nanoTime();
        GenerationTrace trace = GenerationTrace.onHost(hostTrace, be);
        Progress p = progress == null ? Progress.NONE : progress;
        this.progress = p;
        FiniteCheck finite = new FiniteCheck(!options.allowNonFinite(), be);
        CancelCheck cancel = where -> {
            if (p.cancelled()) throw new GenerationCancelledException(where);
        };
        int width = req.effectiveWidth(), height = req.effectiveHeight();
        // what the backend makes during the generation is freed at its end (weights are not: they are adopted)
        try (Backend.Scope generation = be.scope()) {
            stage(p, "checking the model files");
            check(req);
            // initial noise: get_noise(1, h, w, bfloat16, seed) widened to float32
            Tensor noise = be.toDevice(LatentNoise.getNoise(1, height, width, DType.BF16, req.seed(), options.noiseKernel()).toF32());
            trace.tensor("noise", noise);
            float[] timesteps = Schedule.get(req.numSteps(), Schedule.pipelineSeqLen(width, height));
            trace.tensor("timesteps", Tensor.wrap(timesteps, timesteps.length));
            trace.tensor("guidance", Tensor.wrap(new float[]{req.guidance()}, 1));

            // content references: preprocess_ref → VAE encoder → posterior sample → bf16
            List<Tensor> refLatents = new ArrayList<>();
            if (!req.contentImages().isEmpty()) {
                stage(p, "content encoder");
                AutoEncoder vae = autoEncoder();
                for (int k = 0; k < req.contentImages().size(); k++) {
                    RgbImage ref = ReferencePreprocess.preprocessRef(req.contentImages().get(k), req.contentLongSide());
                    trace.tensor("ref" + k + ".image_u8", new DecodedImage(ref.height(), ref.width(), ref.rgb()).toTensor());
                    Tensor x = be.toDevice(ReferencePreprocess.aeInput(ref));
                    trace.tensor("ref" + k + ".ae_input", x);
                    Tensor latent;
                    try (Backend.Scope encode = be.scope()) {
                        Tensor moments = vae.moments(be, x, cancel);
                        trace.tensor("ref" + k + ".moments", moments);
                        latent = encode.keep(vae.latent(be, moments, posteriorEps(req, k, moments, trace)));
                    }
                    trace.tensor("ref" + k + ".latent", latent);
                    // the official code casts the latent to bf16: rounded on the host (once per content image)
                    Tensor rounded = trace.substitute("ref" + k + ".latent_bf16",
                            be.toDevice(FloatFormats.roundedToBf16(be.toHost(latent))));
                    finite.require(rounded, "the content encoder's latent of content image " + k);
                    refLatents.add(rounded);
                }
                releaseIfOffloading("vae");
            }

            stage(p, "text encoders");
            Tensor[] tv;
            try (Backend.Scope text = be.scope()) {
                tv = textConditioner().encode(req.prompt(), trace);
                text.keep(tv[0]);
                text.keep(tv[1]);
            }
            finite.require(tv[0], "the text encoders' T5 output (txt)");
            finite.require(tv[1], "the text encoders' CLIP pooled output (vec)");
            releaseIfOffloading("text");

            List<Map<org.uso4j.model.uso.StyleFeatureLevel, Tensor>> styleStates = new ArrayList<>();
            if (!req.styleImages().isEmpty()) {
                stage(p, "style encoder");
                for (RgbImage s : req.styleImages()) {
                    Map<org.uso4j.model.uso.StyleFeatureLevel, Tensor> hs;
                    try (Backend.Scope style = be.scope()) {
                        hs = styleEncoder().hiddenStates(s);
                        hs.values().forEach(style::keep);
                    }
                    hs.forEach((level, t) -> trace.tensor("style" + styleStates.size() + ".hidden_states_m" + (-level.hiddenStateIndex()), t));
                    styleStates.add(hs);
                }
                releaseIfOffloading("style");
            }

            stage(p, "denoising");
            UsoDit model = dit();
            model.setLoraWeight(req.loraWeight());
            List<Tensor> styleTokens = new ArrayList<>();
            for (int j = 0; j < styleStates.size(); j++) {
                Tensor tokens = model.styleTokens(be, styleStates.get(j));
                trace.tensor("style" + j + ".tokens", tokens);
                finite.require(tokens, "the style tokens of style image " + j + " (SigLIP + projector)");
                styleTokens.add(tokens);
            }
            Latents.Prepared prep = Latents.prepareMultiIp(be, noise, refLatents, req.pe());
            trace.tensor("img", prep.img());
            trace.tensor("img_ids", prep.imgIds());
            for (int k = 0; k < prep.refImg().size(); k++) {
                trace.tensor("ref_img." + k, prep.refImg().get(k));
                trace.tensor("ref_img_ids." + k, prep.refImgIds().get(k));
            }
            Tensor txt = tv[0];
            Tensor txtIds = Latents.txtIds(be, 1, txt.dim(1));
            trace.tensor("txt_ids", txtIds);
            FluxInputs cond = new FluxInputs(prep.img(), prep.imgIds(), txt, txtIds, null, tv[1], null, prep.refImg(), prep.refImgIds(), styleTokens);
            long[] last = {System.nanoTime()};
            DeviceSteps deviceSteps = DeviceSteps.of(be);
            Tensor x = EulerSampler.denoise(be, model, cond, timesteps, req.guidance(), new EulerSampler.StepListener() {
                @Override public void beforeFirstStep() { deviceSteps.start(); }

                @Override public void afterStep(int step, int steps, Tensor img) {
                    finite.require(img, "the latents after denoising step " + (step + 1) + " of " + steps);
                    long now = System.nanoTime();
                    double secs = (now - last[0]) / 1e9;
                    last[0] = now;
                    Progress.Preview preview = null;
                    if (options.previews()) {
                        deviceSteps.previewStarts();
                        try (Backend.Scope previewScope = be.scope()) {
                            preview = LatentPreview.of(be.toHost(Latents.unpack(be, img, height, width)));
                        }
                        deviceSteps.previewEnds();
                    }
                    deviceSteps.report(p, step + 1);
                    p.step(step + 1, steps, secs, secs * (steps - step - 1), preview);
                    if (p.cancelled()) throw new GenerationCancelledException("denoising step " + (step + 1));
                }
            }, trace == GenerationTrace.NONE ? null : (name, t) -> trace.tensor(name.replace(".img_in", ".img"), t), cancel);
            releaseIfOffloading("dit");
            trace.tensor("x_final", x);

            stage(p, "decoding");
            Tensor latent = Latents.unpack(be, x, height, width);
            trace.tensor("latent_final", latent);
            Tensor decoded;
            try (Backend.Scope decode = be.scope()) {
                decoded = decode.keep(autoEncoder().decode(be, latent, cancel));
            }
            trace.tensor("decoded", decoded);
            finite.require(decoded, "the VAE decoder's output");
            releaseIfOffloading("vae");
            DecodedImage img = DecodedImage.of(be.toHost(decoded));
            RgbImage image = new RgbImage(img.width(), img.height(), img.rgb());
            Map<String, Object> settings = new LinkedHashMap<>(req.settings());
            settings.put("effective_width", width);
            settings.put("effective_height", height);
            return new GenerationResult(image, settings, (System.nanoTime() - t0) / 1e9);
        } finally {
            this.progress = Progress.NONE;
            if (options.offload()) close();
        }
    }

    /**
     * Opens and checks every file {@code req} needs (headers, key sets, shapes, dtypes, sizes) before any
     * computation, so that a broken VAE is not found after the denoising steps. Without offload the stages stay
     * loaded for the run; with offload each is loaded, checked and released (the DiT without load-time
     * quantization: its files are checked, not converted).
     */
    public synchronized void check(GenerationRequest req) {
        List<String> needed = new ArrayList<>(List.of("text", "dit", "vae"));
        if (!req.styleImages().isEmpty()) needed.add("style");
        for (String key : needed) {
            if (loaded.containsKey(key)) continue;
            if (!options.offload()) {
                load(key);
            } else {
                closeQuietly(switch (key) {
                    case "text" -> TextConditioner.load(files.get(ModelComponent.T5), files.get(ModelComponent.CLIP), be);
                    case "style" -> StyleEncoder.load(files.get(ModelComponent.SIGLIP), be);
                    case "dit" -> loadDit(false);
                    default -> loadVae();
                });
            }
        }
    }

    private void load(String key) {
        switch (key) {
            case "text" -> textConditioner();
            case "style" -> styleEncoder();
            case "dit" -> dit();
            default -> autoEncoder();
        }
    }

    /** ε for content image k: injected by the trace, else drawn from {@link GenerationRequest#effectivePosteriorSeed()} + k, or none (mean). */
    private Tensor posteriorEps(GenerationRequest req, int k, Tensor moments, GenerationTrace trace) {
        Shape mean = Shape.of(moments.dim(0), moments.dim(1) / 2, moments.dim(2), moments.dim(3));
        Tensor injected = trace.posteriorEps(k, mean);
        if (injected != null) return injected.toF32();
        if (req.posterior() == GenerationRequest.Posterior.MEAN) return null;
        // seeded on the host, moved to the backend once
        Tensor eps = be.toDevice(LatentNoise.randn(mean, DType.F32, new TorchRandom(req.effectivePosteriorSeed() + k), options.noiseKernel()));
        trace.tensor("ref" + k + ".posterior_eps", eps);
        return eps;
    }

    private static void stage(Progress p, String name) {
        if (p.cancelled()) throw new GenerationCancelledException("before " + name);
        p.stage(name);
    }

    private <T extends AutoCloseable> T stageModel(String key, Supplier<T> load, Function<AutoCloseable, T> cast, Function<T, String> summary) {
        AutoCloseable m = loaded.get(key);
        if (m == null) {
            long t0 = System.nanoTime();
            T fresh = load.get();
            loaded.put(key, fresh);
            progress.loaded(summary.apply(fresh), (System.nanoTime() - t0) / 1e9);
            return fresh;
        }
        return cast.apply(m);
    }

    private TextConditioner textConditioner() {
        return stageModel("text", () -> TextConditioner.load(files.get(ModelComponent.T5), files.get(ModelComponent.CLIP), be),
                m -> (TextConditioner) m, TextConditioner::summary);
    }

    private StyleEncoder styleEncoder() {
        return stageModel("style", () -> StyleEncoder.load(files.get(ModelComponent.SIGLIP), be), m -> (StyleEncoder) m,
                StyleEncoder::summary);
    }

    /** The DiT with its three files; closing the holder closes them. */
    private record DitHolder(UsoDit dit, List<Checkpoint> files) implements AutoCloseable {
        @Override public void close() { files.forEach(Checkpoint::close); }
    }

    private UsoDit dit() {
        return stageModel("dit", () -> loadDit(true), m -> (DitHolder) m, h -> h.dit().summary()).dit();
    }

    private DitHolder loadDit(boolean quantize) {
        List<Checkpoint> opened = new ArrayList<>();
        try {
            Checkpoint stored = open(opened, ModelComponent.FLUX);
            Checkpoint flux = quantize ? quantized(stored) : stored, lora = open(opened, ModelComponent.LORA),
                    proj = open(opened, ModelComponent.PROJECTOR);
            return new DitHolder(UsoDit.load(flux, lora, proj, null, 1f, be), opened);
        } catch (RuntimeException e) {
            opened.forEach(Checkpoint::close);
            throw e;
        }
    }

    private record VaeHolder(AutoEncoder ae, Checkpoint file) implements AutoCloseable {
        @Override public void close() { file.close(); }
    }

    private AutoEncoder autoEncoder() {
        return stageModel("vae", this::loadVae, m -> (VaeHolder) m, h -> h.ae().summary()).ae();
    }

    private VaeHolder loadVae() {
        Checkpoint c = Checkpoints.open(files.get(ModelComponent.AE));
        try {
            return new VaeHolder(AutoEncoder.load(c, be), c);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The FLUX file as stored, or quantized at load when the options ask for it. */
    private Checkpoint quantized(Checkpoint flux) {
        return options.quantize() == null ? flux : org.uso4j.core.io.QuantizedStore.of(flux, options.quantize());
    }

    private Checkpoint open(List<Checkpoint> opened, ModelComponent c) {
        Checkpoint ckpt = Checkpoints.open(files.get(c));
        opened.add(ckpt);
        return ckpt;
    }

    private void releaseIfOffloading(String key) {
        if (!options.offload()) return;
        AutoCloseable m = loaded.remove(key);
        if (m != null) closeQuietly(m);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // releasing memory-mapped files cannot meaningfully fail here
        }
    }

    /** Releases every loaded stage. */
    @Override public synchronized void close() {
        loaded.values().forEach(UsoPipeline::closeQuietly);
        loaded.clear();
    }
}
