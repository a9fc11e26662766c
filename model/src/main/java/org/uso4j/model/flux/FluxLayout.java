package org.uso4j.model.flux;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.core.RowBlocks;
import org.uso4j.core.Tensor;
import org.uso4j.core.io.Checkpoint;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.TensorEntry;
import org.uso4j.core.io.WeightStore;

/**
 * The layouts FLUX transformer weights come in, each translated to BFL names (flux1-dev.safetensors) in one table:
 * BFL itself; the same with a {@code model.diffusion_model.} (stable-diffusion.cpp, ComfyUI checkpoints) or
 * {@code diffusion_model.} prefix; and diffusers' {@code FluxTransformer2DModel} (split q/k/v, renamed modules,
 * final-norm scale/shift swapped). Every source tensor must be used by the translation.
 */
public enum FluxLayout {
    BFL("BFL FLUX"),
    PREFIXED("BFL FLUX (prefixed)"),
    DIFFUSERS("diffusers FLUX");

    private final String description;

    FluxLayout(String description) { this.description = description; }

    public String description() { return description; }

    private static final List<String> PREFIXES = List.of("model.diffusion_model.", "diffusion_model.");

    /** The layout of {@code c}, if it is a FLUX transformer. */
    public static Optional<FluxLayout> detect(Checkpoint c) {
        if (c.contains("img_in.weight") && c.contains("final_layer.linear.weight")) return Optional.of(BFL);
        for (String p : PREFIXES) if (c.contains(p + "img_in.weight")) return Optional.of(PREFIXED);
        if (c.contains("x_embedder.weight") && c.contains("context_embedder.weight")) return Optional.of(DIFFUSERS);
        return Optional.empty();
    }

    /** Translates {@code c} to a WeightStore with BFL names; fails naming the file when it is not a FLUX transformer. */
    public static WeightStore toStore(Checkpoint c) {
        FluxLayout layout = detect(c).orElseThrow(() -> new CheckpointException(c.source()
                + ": not a FLUX transformer checkpoint (no img_in.weight, model.diffusion_model.img_in.weight or x_embedder.weight)"));
        WeightStore store = new WeightStore();
        switch (layout) {
            case BFL -> store.addAll(c);
            case PREFIXED -> {
                String prefix = PREFIXES.stream().filter(p -> c.contains(p + "img_in.weight")).findFirst().orElseThrow();
                for (TensorEntry e : c.entries()) {
                    if (!e.name().startsWith(prefix)) {
                        throw new CheckpointException(c.source() + ": unexpected tensor '" + e.name() + "' without the '" + prefix + "' prefix");
                    }
                    store.put(e.name().substring(prefix.length()), c.source() + " ['" + e.name() + "']", e.dtype(), e.shape(), () -> c.tensor(e.name()));
                }
            }
            case DIFFUSERS -> new DiffusersTable(c, store).translate();
        }
        return store;
    }

    /** diffusers {@code FluxTransformer2DModel} → BFL (the inverse of diffusers' convert_flux_to_diffusers.py). */
    private static final class DiffusersTable {
        private static final Pattern DOUBLE = Pattern.compile("transformer_blocks\\.(\\d+)\\..*");
        private static final Pattern SINGLE = Pattern.compile("single_transformer_blocks\\.(\\d+)\\..*");
        private final Checkpoint c;
        private final WeightStore store;
        private final Set<String> used = new LinkedHashSet<>();

        DiffusersTable(Checkpoint c, WeightStore store) {
            this.c = c;
            this.store = store;
        }

        void translate() {
            int depth = 0, single = 0;
            for (String k : c.names()) {
                Matcher m = SINGLE.matcher(k);
                if (m.matches()) single = Math.max(single, Integer.parseInt(m.group(1)) + 1);
                else if ((m = DOUBLE.matcher(k)).matches()) depth = Math.max(depth, Integer.parseInt(m.group(1)) + 1);
            }
            pair("img_in", "x_embedder");
            pair("txt_in", "context_embedder");
            pair("time_in.in_layer", "time_text_embed.timestep_embedder.linear_1");
            pair("time_in.out_layer", "time_text_embed.timestep_embedder.linear_2");
            pair("vector_in.in_layer", "time_text_embed.text_embedder.linear_1");
            pair("vector_in.out_layer", "time_text_embed.text_embedder.linear_2");
            if (c.contains("time_text_embed.guidance_embedder.linear_1.weight")) {
                pair("guidance_in.in_layer", "time_text_embed.guidance_embedder.linear_1");
                pair("guidance_in.out_layer", "time_text_embed.guidance_embedder.linear_2");
            }
            for (int i = 0; i < depth; i++) {
                String b = "double_blocks." + i + ".", d = "transformer_blocks." + i + ".";
                pair(b + "img_mod.lin", d + "norm1.linear");
                pair(b + "txt_mod.lin", d + "norm1_context.linear");
                fused(b + "img_attn.qkv", d + "attn.to_q", d + "attn.to_k", d + "attn.to_v");
                fused(b + "txt_attn.qkv", d + "attn.add_q_proj", d + "attn.add_k_proj", d + "attn.add_v_proj");
                rename(b + "img_attn.norm.query_norm.scale", d + "attn.norm_q.weight");
                rename(b + "img_attn.norm.key_norm.scale", d + "attn.norm_k.weight");
                rename(b + "txt_attn.norm.query_norm.scale", d + "attn.norm_added_q.weight");
                rename(b + "txt_attn.norm.key_norm.scale", d + "attn.norm_added_k.weight");
                pair(b + "img_attn.proj", d + "attn.to_out.0");
                pair(b + "txt_attn.proj", d + "attn.to_add_out");
                pair(b + "img_mlp.0", d + "ff.net.0.proj");
                pair(b + "img_mlp.2", d + "ff.net.2");
                pair(b + "txt_mlp.0", d + "ff_context.net.0.proj");
                pair(b + "txt_mlp.2", d + "ff_context.net.2");
            }
            for (int i = 0; i < single; i++) {
                String b = "single_blocks." + i + ".", d = "single_transformer_blocks." + i + ".";
                pair(b + "modulation.lin", d + "norm.linear");
                fused(b + "linear1", d + "attn.to_q", d + "attn.to_k", d + "attn.to_v", d + "proj_mlp");
                pair(b + "linear2", d + "proj_out");
                rename(b + "norm.query_norm.scale", d + "attn.norm_q.weight");
                rename(b + "norm.key_norm.scale", d + "attn.norm_k.weight");
            }
            pair("final_layer.linear", "proj_out");
            // diffusers' AdaLayerNormContinuous emits (scale, shift); BFL's LastLayer reads (shift, scale)
            for (String p : new String[]{"weight", "bias"}) {
                String src = "norm_out.linear." + p;
                if (!c.contains(src)) continue;
                Tensor t = take(src);
                int half = t.dim(0) / 2;
                put("final_layer.adaLN_modulation.1." + p, src + " (halves swapped)",
                        RowBlocks.concat(List.of(RowBlocks.rows(t, half, 2 * half), RowBlocks.rows(t, 0, half))));
            }
            List<String> unused = new ArrayList<>();
            for (String k : c.names()) if (!used.contains(k)) unused.add(k);
            if (!unused.isEmpty()) throw new CheckpointException(c.source() + ": tensors not part of a diffusers FLUX transformer: " + unused);
        }

        private Tensor take(String key) {
            if (!c.contains(key)) throw new CheckpointException(c.source() + ": missing tensor '" + key + "' (diffusers FLUX layout)");
            used.add(key);
            return c.tensor(key);
        }

        private void put(String bfl, String from, Tensor t) { store.put(bfl, c.source() + " [" + from + "]", t); }

        private void rename(String bfl, String key) {
            TensorEntry e = c.entry(key);
            take(key);
            store.put(bfl, c.source() + " ['" + key + "']", e.dtype(), e.shape(), () -> c.tensor(key));
        }

        /** weight and (if present) bias. */
        private void pair(String bfl, String key) {
            rename(bfl + ".weight", key + ".weight");
            if (c.contains(key + ".bias")) rename(bfl + ".bias", key + ".bias");
        }

        /** BFL's fused projection = row concatenation of diffusers' split ones (weight and bias). */
        private void fused(String bfl, String... keys) {
            for (String p : new String[]{"weight", "bias"}) {
                if (!c.contains(keys[0] + "." + p)) continue;
                List<Tensor> parts = new ArrayList<>();
                for (String k : keys) parts.add(take(k + "." + p));
                put(bfl + "." + p, String.join(" + ", keys) + "." + p, RowBlocks.concat(parts));
            }
        }
    }
}
