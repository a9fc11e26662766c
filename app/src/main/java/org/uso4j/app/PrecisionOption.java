package org.uso4j.app;

import java.util.Locale;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.MatmulPrecision;
import picocli.CommandLine;

/** The {@code --precision f32|bf16} option of the commands that run networks. */
final class PrecisionOption implements CommandLine.ITypeConverter<MatmulPrecision> {
    static final String DESCRIPTION = "matrix products: f32 (exact, default) or bf16 (activations rounded to bf16 and multiplied on"
            + " the CPU's AMX tiles, like PyTorch's bf16: several times faster; f32 is used where the CPU has no AMX)";

    @Override public MatmulPrecision convert(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "f32", "fp32", "float32" -> MatmulPrecision.F32;
            case "bf16", "bfloat16" -> MatmulPrecision.BF16;
            default -> throw new CommandLine.TypeConversionException("--precision must be f32 or bf16, got '" + value + "'");
        };
    }

    /** Tells the user on stderr when bf16 was asked for but this CPU runs f32. */
    static void warnIfFallback(MatmulPrecision asked, CpuBackend backend) {
        if (asked == MatmulPrecision.BF16 && backend.precision() != MatmulPrecision.BF16) {
            System.err.println("note: --precision bf16 runs in f32 here (" + MatmulPrecision.bf16UnavailableReason() + ")");
        }
    }
}
