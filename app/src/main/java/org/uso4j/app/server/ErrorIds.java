package org.uso4j.app.server;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Short random ids tying an internal-error answer to its log line. */
final class ErrorIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ErrorIds() {}

    static String next() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
