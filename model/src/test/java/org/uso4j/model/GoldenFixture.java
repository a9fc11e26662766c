package org.uso4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.uso4j.core.Tensor;

/** What the encoder tests share: the golden folder, token ids as rows, and a golden weight file on its own. */
public final class GoldenFixture {
    public static final Path GOLDEN = Path.of(System.getProperty("uso4j.golden", "../shared/golden"));

    private GoldenFixture() {}

    /** Token ids [B, L] as stored in io.safetensors → {@code long[B][L]}, as the encoders take them. */
    public static long[][] rows(Tensor ids) {
        long[] flat = ids.toLongs();
        long[][] r = new long[ids.dim(0)][ids.dim(1)];
        for (int i = 0; i < r.length; i++) System.arraycopy(flat, i * ids.dim(1), r[i], 0, ids.dim(1));
        return r;
    }

    /** The golden file {@code relative} copied to {@code target} (a folder without config.json); skips the test when absent. */
    public static Path copyAlone(String relative, Path target) throws IOException {
        Path src = GOLDEN.resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(src));
        return Files.copy(src, target);
    }
}
