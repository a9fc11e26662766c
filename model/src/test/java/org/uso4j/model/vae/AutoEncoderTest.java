package org.uso4j.model.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.io.CheckpointException;
import org.uso4j.core.io.WeightStore;

/** Config inference, strict loading and shapes on synthetic checkpoints (the golden numbers are checked in pipeline). */
class AutoEncoderTest {
    private static final Backend BE = new ScalarBackend();

    /** A random state dict with the official key layout for {@code p} (mirrors autoencoder.py's constructors). */
    private static WeightStore synthetic(AutoEncoderParams p) {
        WeightStore s = new WeightStore();
        Random r = new Random(1);
        int ch = p.ch(), n = p.levels();
        conv(s, r, "encoder.conv_in", p.inChannels(), ch, 3);
        int blockIn = ch;
        for (int i = 0; i < n; i++) {
            blockIn = i == 0 ? ch : p.width(i - 1);
            for (int j = 0; j < p.numResBlocks(); j++) {
                resnet(s, r, "encoder.down." + i + ".block." + j, blockIn, p.width(i));
                blockIn = p.width(i);
            }
            if (i != n - 1) conv(s, r, "encoder.down." + i + ".downsample.conv", blockIn, blockIn, 3);
        }
        mid(s, r, "encoder.mid", blockIn);
        norm(s, r, "encoder.norm_out", blockIn);
        conv(s, r, "encoder.conv_out", blockIn, 2 * p.zChannels(), 3);

        blockIn = p.width(n - 1);
        conv(s, r, "decoder.conv_in", p.zChannels(), blockIn, 3);
        mid(s, r, "decoder.mid", blockIn);
        for (int i = n - 1; i >= 0; i--) {
            for (int j = 0; j < p.numResBlocks() + 1; j++) {
                resnet(s, r, "decoder.up." + i + ".block." + j, blockIn, p.width(i));
                blockIn = p.width(i);
            }
            if (i != 0) conv(s, r, "decoder.up." + i + ".upsample.conv", blockIn, blockIn, 3);
        }
        norm(s, r, "decoder.norm_out", blockIn);
        conv(s, r, "decoder.conv_out", blockIn, p.outCh(), 3);
        return s;
    }

    private static void mid(WeightStore s, Random r, String k, int c) {
        resnet(s, r, k + ".block_1", c, c);
        norm(s, r, k + ".attn_1.norm", c);
        for (String q : new String[]{"q", "k", "v", "proj_out"}) conv(s, r, k + ".attn_1." + q, c, c, 1);
        resnet(s, r, k + ".block_2", c, c);
    }

    private static void resnet(WeightStore s, Random r, String k, int in, int out) {
        norm(s, r, k + ".norm1", in);
        conv(s, r, k + ".conv1", in, out, 3);
        norm(s, r, k + ".norm2", out);
        conv(s, r, k + ".conv2", out, out, 3);
        if (in != out) conv(s, r, k + ".nin_shortcut", in, out, 1);
    }

    private static void norm(WeightStore s, Random r, String k, int c) {
        put(s, r, k + ".weight", 1f, c);
        put(s, r, k + ".bias", 0f, c);
    }

    private static void conv(WeightStore s, Random r, String k, int in, int out, int ks) {
        put(s, r, k + ".weight", 0f, out, in, ks, ks);
        put(s, r, k + ".bias", 0f, out);
    }

    private static void put(WeightStore s, Random r, String key, float center, int... dims) {
        int n = 1;
        for (int d : dims) n *= d;
        float[] v = new float[n];
        double fan = n / (double) dims[0];
        for (int i = 0; i < n; i++) v[i] = center + (float) (r.nextGaussian() * (dims.length == 1 ? 0.1 : 1 / Math.sqrt(fan)));
        s.put(key, "synthetic ['" + key + "']", Tensor.wrap(v, dims));
    }

    @Test void fluxPresetIsTheReleasedVae() {
        AutoEncoderParams p = AutoEncoderParams.flux();
        assertEquals(new AutoEncoderParams(256, 3, 128, 3, List.of(1, 2, 4, 4), 2, 16, 0.3611f, 0.1159f), p);
        assertEquals(8, p.downFactor());
        assertEquals(512, p.width(3));
    }

    @Test void infersArchitectureFromShapesAndFactorsFromMetadata() {
        AutoEncoderParams p = new AutoEncoderParams(64, 3, 32, 3, List.of(1, 2, 1), 2, 4, 0.5f, 0.25f);
        WeightStore s = synthetic(p);
        AutoEncoderParams noMeta = AutoEncoderParams.infer(s, Map.of());
        assertEquals(List.of(1, 2, 1), noMeta.chMult());
        assertEquals(2, noMeta.numResBlocks());
        assertEquals(4, noMeta.zChannels());
        assertEquals(AutoEncoderParams.flux().scaleFactor(), noMeta.scaleFactor());
        String config = "{\"resolution\": 64, \"in_channels\": 3, \"ch\": 32, \"out_ch\": 3, \"ch_mult\": [1, 2, 1], "
                + "\"num_res_blocks\": 2, \"z_channels\": 4, \"scale_factor\": 0.5, \"shift_factor\": 0.25}";
        assertEquals(p, AutoEncoderParams.infer(s, Map.of("config", config)));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> AutoEncoderParams.infer(s, Map.of("config", config.replace("[1, 2, 1]", "[1, 2, 2]"))));
        assertTrue(e.getMessage().contains("ch_mult"), e.getMessage());
    }

    @Test void encodeDecodeShapesAndPosterior() {
        AutoEncoderParams p = new AutoEncoderParams(64, 3, 32, 3, List.of(1, 2, 1), 1, 4, 0.5f, 0.25f);
        AutoEncoder ae = AutoEncoder.load(synthetic(p), p);
        float[] img = new float[2 * 3 * 12 * 20];
        Random r = new Random(2);
        for (int i = 0; i < img.length; i++) img[i] = r.nextFloat() * 2 - 1;
        Tensor x = Tensor.wrap(img, 2, 3, 12, 20);
        Tensor moments = ae.moments(BE, x);
        assertArrayEquals(new int[]{2, 8, 3, 5}, moments.dims());
        Tensor zMean = ae.latent(BE, moments, null);
        Tensor zero = Tensor.zeros(2, 4, 3, 5);
        assertArrayEquals(zMean.floats(), ae.latent(BE, moments, zero).floats(), 0f);
        // z = scale·(mean − shift) on the mean channels
        float m0 = moments.floats()[0];
        assertEquals(0.5f * (m0 - 0.25f), zMean.floats()[0], 1e-6f);
        // eps = 1: mean + exp(0.5·logvar)
        float[] ones = new float[zero.floats().length];
        java.util.Arrays.fill(ones, 1f);
        float lv0 = moments.floats()[4 * 15];
        float s0 = ae.latent(BE, moments, Tensor.wrap(ones, 2, 4, 3, 5)).floats()[0];
        assertEquals(0.5f * (m0 + (float) Math.exp(0.5 * lv0) - 0.25f), s0, 1e-5f);
        assertArrayEquals(new int[]{2, 3, 12, 20}, ae.decode(BE, zMean).dims());
    }

    @Test void loadingIsStrict() {
        AutoEncoderParams p = new AutoEncoderParams(64, 3, 32, 3, List.of(1, 1), 1, 4, 0.5f, 0.25f);
        WeightStore extra = synthetic(p);
        extra.put("decoder.up.0.attn.0.q.weight", "synthetic ['decoder.up.0.attn.0.q.weight']", Tensor.zeros(32, 32, 1, 1));
        CheckpointException e1 = assertThrows(CheckpointException.class, () -> AutoEncoder.load(extra, p));
        assertTrue(e1.getMessage().contains("decoder.up.0.attn.0.q.weight"), e1.getMessage());

        AutoEncoderParams wider = new AutoEncoderParams(64, 3, 32, 3, List.of(1, 2), 1, 4, 0.5f, 0.25f);
        CheckpointException e2 = assertThrows(CheckpointException.class, () -> AutoEncoder.load(synthetic(p), wider));
        assertTrue(e2.getMessage().contains("encoder.down.1.block.0"), e2.getMessage());
    }
}
