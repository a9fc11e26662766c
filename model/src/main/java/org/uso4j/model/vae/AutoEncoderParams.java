package org.uso4j.model.vae;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uso4j.core.Shape;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.WeightStore;

/**
 * The FLUX AutoEncoder's hyper-parameters (black-forest-labs/flux {@code src/flux/modules/autoencoder.py
 * AutoEncoderParams}). {@code chMult[i]} sets the width {@code ch·chMult[i]} of level i; there are
 * {@code chMult.size() - 1} ×2 down/up-samplings. {@code resolution} is recorded, never used by the forward.
 */
public record AutoEncoderParams(int resolution, int inChannels, int ch, int outCh, List<Integer> chMult,
                                int numResBlocks, int zChannels, float scaleFactor, float shiftFactor) {

    public AutoEncoderParams {
        chMult = List.copyOf(chMult);
        if (inChannels <= 0 || ch <= 0 || outCh <= 0 || zChannels <= 0 || numResBlocks <= 0 || chMult.isEmpty()) {
            throw new IllegalArgumentException("AutoEncoderParams: sizes must be positive: in " + inChannels + ", ch " + ch
                    + ", out_ch " + outCh + ", z " + zChannels + ", num_res_blocks " + numResBlocks + ", ch_mult " + chMult);
        }
        for (int m : chMult) {
            if (m <= 0 || (ch * m) % GroupNorm.GROUPS != 0) {
                throw new IllegalArgumentException("AutoEncoderParams: ch " + ch + " · ch_mult " + chMult
                        + " must give channel counts divisible by the " + GroupNorm.GROUPS + " GroupNorm groups");
            }
        }
        if (scaleFactor == 0 || !Float.isFinite(scaleFactor) || !Float.isFinite(shiftFactor)) {
            throw new IllegalArgumentException("AutoEncoderParams: bad scale_factor " + scaleFactor + " / shift_factor " + shiftFactor);
        }
    }

    /** FLUX.1-dev / schnell {@code ae.safetensors} (flux {@code util.py configs["flux-dev"].ae_params}). */
    public static AutoEncoderParams flux() {
        return new AutoEncoderParams(256, 3, 128, 3, List.of(1, 2, 4, 4), 2, 16, 0.3611f, 0.1159f);
    }

    /** The same network with other latent scaling (e.g. given by a config file next to a checkpoint without metadata). */
    public AutoEncoderParams withScaling(float scaleFactor, float shiftFactor) {
        return new AutoEncoderParams(resolution, inChannels, ch, outCh, chMult, numResBlocks, zChannels, scaleFactor, shiftFactor);
    }

    /** Number of resolution levels ({@code num_resolutions}). */
    public int levels() { return chMult.size(); }

    /** Channels of level i: {@code ch · ch_mult[i]}. */
    public int width(int level) { return ch * chMult.get(level); }

    /** Spatial down-sampling factor image → latent: 2^(levels - 1) (8 for FLUX). */
    public int downFactor() { return 1 << (levels() - 1); }

    /**
     * The parameters of the checkpoint in {@code store}: the architecture from the tensor shapes (the official
     * code hard-codes FLUX's), {@code resolution}/{@code scale_factor}/{@code shift_factor} from the safetensors
     * metadata {@code config} JSON when present, else FLUX's. A metadata config that contradicts the shapes is
     * an error naming the field.
     */
    public static AutoEncoderParams infer(WeightStore store, Map<String, String> metadata) {
        int[] convIn = dims(store, "encoder.conv_in.weight", 4);       // [ch, in_channels, 3, 3]
        int[] decIn = dims(store, "decoder.conv_in.weight", 4);        // [ch·ch_mult[-1], z_channels, 3, 3]
        int[] convOut = dims(store, "decoder.conv_out.weight", 4);     // [out_ch, ch, 3, 3]
        int ch = convIn[0];
        List<Integer> chMult = new ArrayList<>();
        for (int i = 0; store.has("encoder.down." + i + ".block.0.conv1.weight"); i++) {
            int width = dims(store, "encoder.down." + i + ".block.0.conv1.weight", 4)[0];
            if (width % ch != 0) {
                throw new CheckpointException("AutoEncoder: 'encoder.down." + i + ".block.0.conv1.weight' has " + width
                        + " output channels, not a multiple of ch = " + ch);
            }
            chMult.add(width / ch);
        }
        int numResBlocks = 0;
        while (store.has("encoder.down.0.block." + numResBlocks + ".conv1.weight")) numResBlocks++;
        if (chMult.isEmpty()) throw new CheckpointException("AutoEncoder: no 'encoder.down.0.block.0.conv1.weight' in the checkpoint");

        AutoEncoderParams base = flux();
        AutoEncoderParams fromShapes = new AutoEncoderParams(base.resolution(), convIn[1], ch, convOut[0], chMult,
                numResBlocks, decIn[1], base.scaleFactor(), base.shiftFactor());
        String config = metadata == null ? null : metadata.get("config");
        return config == null ? fromShapes : fromShapes.agreeingWith(config);
    }

    private static int[] dims(WeightStore store, String key, int rank) {
        Shape s = store.shapeOf(key).orElseThrow(() -> new CheckpointException("AutoEncoder: missing tensor '" + key + "'"));
        if (s.rank() != rank) throw new CheckpointException("AutoEncoder: '" + key + "' has shape " + s + ", expected rank " + rank);
        return s.dims();
    }

    /** These shape-derived parameters with resolution/scale/shift from the metadata {@code config} JSON (flat object). */
    private AutoEncoderParams agreeingWith(String json) {
        check(json, "in_channels", inChannels);
        check(json, "ch", ch);
        check(json, "out_ch", outCh);
        check(json, "num_res_blocks", numResBlocks);
        check(json, "z_channels", zChannels);
        Matcher m = Pattern.compile("\"ch_mult\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        if (m.find()) {
            List<Integer> given = new ArrayList<>();
            for (String part : m.group(1).split(",")) if (!part.isBlank()) given.add((int) Double.parseDouble(part.strip()));
            if (!given.equals(chMult)) {
                throw new CheckpointException("AutoEncoder: metadata config 'ch_mult' " + given + " contradicts the tensor shapes (" + chMult + ")");
            }
        }
        return new AutoEncoderParams((int) number(json, "resolution", resolution), inChannels, ch, outCh, chMult, numResBlocks,
                zChannels, (float) number(json, "scale_factor", scaleFactor), (float) number(json, "shift_factor", shiftFactor));
    }

    private static void check(String json, String field, int fromShapes) {
        double v = number(json, field, fromShapes);
        if (v != fromShapes) {
            throw new CheckpointException("AutoEncoder: metadata config '" + field + "' = " + v + " contradicts the tensor shapes (" + fromShapes + ")");
        }
    }

    private static double number(String json, String field, double fallback) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)").matcher(json);
        if (!m.find()) return fallback;
        try {
            return Double.parseDouble(m.group(1));
        } catch (NumberFormatException e) {
            throw new CheckpointException("AutoEncoder: metadata config '" + field + "' is not a number: " + m.group(1));
        }
    }
}
