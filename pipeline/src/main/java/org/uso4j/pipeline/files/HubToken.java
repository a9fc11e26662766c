package org.uso4j.pipeline.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the hub access token the way {@code huggingface_hub} does: an explicit value first, then the
 * {@code HF_TOKEN} and (older) {@code HUGGING_FACE_HUB_TOKEN} environment variables, then the file
 * {@code huggingface-cli login} writes ({@code $HF_TOKEN_PATH}, else {@code $HF_HOME/token}, else
 * {@code ~/.cache/huggingface/token}).
 */
public final class HubToken {
    private HubToken() {}

    /** Where the token came from, for messages (never the token itself). */
    public record Found(String token, String source) {
        @Override public String toString() {
            return "token from " + source;
        }
    }

    public static Optional<Found> resolve(String explicit, Map<String, String> env, Path home) {
        if (present(explicit)) return Optional.of(new Found(explicit.strip(), "--token"));
        for (String var : new String[] {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"})
            if (present(env.get(var))) return Optional.of(new Found(env.get(var).strip(), "$" + var));
        Path file = present(env.get("HF_TOKEN_PATH")) ? Path.of(env.get("HF_TOKEN_PATH"))
                : present(env.get("HF_HOME")) ? Path.of(env.get("HF_HOME"), "token")
                : home == null ? null : home.resolve(".cache/huggingface/token");
        if (file != null && Files.isRegularFile(file)) {
            try {
                String t = Files.readString(file).strip();
                if (!t.isEmpty()) return Optional.of(new Found(t, file.toString()));
            } catch (IOException | RuntimeException e) {
                // an unreadable token file is the same as none; the hub's 401 message says what to do
            }
        }
        return Optional.empty();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
