package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.MatmulPrecision;
import picocli.CommandLine;

/** {@code --precision}: its three values, aliases, and a clear refusal of anything else. */
class PrecisionOptionTest {
    private final PrecisionOption.Converter converter = new PrecisionOption.Converter();

    @Test
    void valuesAndAliases() {
        assertEquals(new PrecisionOption(MatmulPrecision.BF16, false), converter.convert("auto"));
        assertEquals(new PrecisionOption(MatmulPrecision.F32, true), converter.convert("F32"));
        assertEquals(new PrecisionOption(MatmulPrecision.F32, true), converter.convert("float32"));
        assertEquals(new PrecisionOption(MatmulPrecision.BF16, true), converter.convert("bfloat16"));
        try (CpuBackend be = BackendChoice.of(new DeviceOption(), 1, converter.convert("f32"), false).cpu()) {
            assertEquals(MatmulPrecision.F32, be.precision());
            assertFalse(be.name().contains("AMX"));
        }
        try (CpuBackend be = BackendChoice.of(new DeviceOption(), 1, converter.convert("auto"), false).cpu()) {
            assertEquals(MatmulPrecision.bf16Available() ? MatmulPrecision.BF16 : MatmulPrecision.F32, be.precision());
        }
    }

    @Test
    void anythingElseIsAUsageError() {
        assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("fp16"));
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("generate", "--prompt", "x", "--precision", "fp16"));
        assertTrue(err.toString().contains("--precision must be auto, f32 or bf16, got 'fp16'"), err::toString);
    }
}
