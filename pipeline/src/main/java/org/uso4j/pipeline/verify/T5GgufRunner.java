package org.uso4j.pipeline.verify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.io.GgufFile;
import org.uso4j.model.t5.T5EncoderModel;
import org.uso4j.model.t5.T5GgufLayout;
import org.uso4j.model.tokenizers.T5Tokenizer;

/**
 * The {@code t5_gguf} part of the formats case: each {@code t5_gguf/*.gguf} (city96 / llama.cpp t5encoder layout) is
 * loaded, its embedded tokenizer is checked to reproduce {@code t5_gguf/input_ids} from the prompts of the runs, and
 * {@code last_hidden_state} is compared with {@code t5_gguf/<type>/last_hidden_state}.
 */
final class T5GgufRunner {
    private T5GgufRunner() {}

    static void run(GoldenCase c, Backend be, VerifyReport report) throws Exception {
        Path dir = c.dir().resolve("t5_gguf");
        if (!Files.isDirectory(dir) || !c.has("t5_gguf/input_ids")) return;
        Tensor ids = c.tensor("t5_gguf/input_ids");
        long[][] rows = new long[ids.dim(0)][ids.dim(1)];
        for (int b = 0; b < rows.length; b++) for (int i = 0; i < rows[b].length; i++) rows[b][i] = ids.getLong((long) b * ids.dim(1) + i);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".gguf")).sorted().toList()) {
                String type = f.getFileName().toString().replaceAll(".*-([A-Za-z0-9_]+)\\.gguf$", "$1");
                String out = "t5_gguf/" + type + "/last_hidden_state";
                if (!c.has(out)) {
                    report.cannotRun(out, "no golden output for " + f.getFileName());
                    continue;
                }
                try (GgufFile g = GgufFile.open(f); T5EncoderModel t5 = T5EncoderModel.loadGguf(f, be)) {
                    T5Tokenizer tok = T5GgufLayout.tokenizer(g);
                    report.check("t5_gguf/" + type + " tokenizer (" + tok.padId() + " pad)", tok.padId() == 0 && tok.eosId() == 1,
                            "GGUF vocab special ids");
                    report.compare(out, t5.encode(rows), c.tensor(out), c.atol(out).orElse(8e-5));
                }
            }
        }
    }
}
