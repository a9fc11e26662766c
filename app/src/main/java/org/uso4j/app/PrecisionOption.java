package org.uso4j.app;

import java.util.Locale;
import org.uso4j.core.backend.MatmulPrecision;
import picocli.CommandLine;

/**
 * The {@code --precision auto|f32|bf16} option of the commands that run networks: {@code auto} is bf16 where the
 * CPU has AMX and f32 elsewhere; an explicit {@code bf16} on a CPU without AMX runs f32 and says so.
 */
record PrecisionOption(MatmulPrecision precision, boolean explicit) {
    static final String DESCRIPTION = "matrix products: auto (bf16 where the CPU has AMX, else f32), f32 (exact: float32 products,"
            + " bitwise the same for any thread count) or bf16 (activations rounded to bf16 and multiplied on the CPU's AMX tiles,"
            + " like PyTorch's bf16: several times faster)";

    static final class Converter implements CommandLine.ITypeConverter<PrecisionOption> {
        @Override public PrecisionOption convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "auto" -> new PrecisionOption(MatmulPrecision.BF16, false);
                case "f32", "fp32", "float32" -> new PrecisionOption(MatmulPrecision.F32, true);
                case "bf16", "bfloat16" -> new PrecisionOption(MatmulPrecision.BF16, true);
                default -> throw new CommandLine.TypeConversionException("--precision must be auto, f32 or bf16, got '" + value + "'");
            };
        }
    }
}
