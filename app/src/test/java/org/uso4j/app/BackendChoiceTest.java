package org.uso4j.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.MatmulPrecision;
import org.uso4j.core.backend.ScalarBackend;
import picocli.CommandLine;

/** {@code --device} and the one backend factory: values, the CPU choices, a Vulkan device that does not exist, the CPU-only commands. */
class BackendChoiceTest {
    private final DeviceOption.Converter converter = new DeviceOption.Converter();

    private static DeviceOption option(String value) {
        DeviceOption o = new DeviceOption();
        o.device = DeviceOption.Device.parse(value);
        return o;
    }

    @Test
    void deviceValues() {
        assertEquals(DeviceOption.Device.AUTO, converter.convert("auto"));
        assertEquals(DeviceOption.Device.CPU, converter.convert("CPU"));
        assertEquals(new DeviceOption.Device(DeviceOption.Kind.VULKAN, 0), converter.convert("vulkan"));
        assertEquals(new DeviceOption.Device(DeviceOption.Kind.VULKAN, 3), converter.convert("vulkan:3"));
        assertEquals("vulkan:3", converter.convert("vulkan:3").toString());
        for (String bad : new String[] {"gpu", "vulkan:", "vulkan:-1", "vulkan:x", "vulkan:99999999999", "cuda"}) {
            CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert(bad), bad);
            assertTrue(e.getMessage().contains("--device must be auto, cpu, vulkan or vulkan:N"), e.getMessage());
        }
    }

    @Test
    void autoAndCpuBuildTheCpuBackendWithThreadsPrecisionAndScalar() {
        for (String d : new String[] {"auto", "cpu"}) {
            Backend be = BackendChoice.of(option(d), 3, new PrecisionOption(MatmulPrecision.F32, true), false).create();
            CpuBackend cpu = assertInstanceOf(CpuBackend.class, be, d);
            assertEquals(3, cpu.threads());
            assertEquals(MatmulPrecision.F32, cpu.precision());
            cpu.close();
            assertInstanceOf(ScalarBackend.class, BackendChoice.of(option(d), null, true).create(), d + " --scalar");
        }
        // a Spark executor: its cores when --threads is not given
        CpuBackend executor = assertInstanceOf(CpuBackend.class, BackendChoice.of(option("auto"), null, false).forSparkExecutors().create(2));
        assertEquals(2, executor.threads());
        executor.close();
        assertNotEquals(BackendChoice.of(option("cpu"), 1, false).key(), BackendChoice.of(option("cpu"), 2, false).key());
    }

    @Test
    void aVulkanDeviceThatDoesNotExistIsNamedAndTheCpuOnlyCommandsRefuseVulkan() {
        BackendChoice v = BackendChoice.of(option("vulkan:99"), null, false);
        RuntimeException e = assertThrows(RuntimeException.class, v::create);
        assertTrue(e.getMessage().contains("no Vulkan device 99") || e.getMessage().contains("no Vulkan loader"), e.getMessage());
        assertThrows(IllegalArgumentException.class, v::cpu);
        assertTrue(assertThrows(IllegalArgumentException.class, v::forSparkExecutors).getMessage().contains("CPU only"));
    }

    @Test
    void theCommandsThatRunNetworksTakeDevice() {
        String[][] runs = {
                {"generate", "--models", "nowhere", "--prompt", "x", "--device", "vulkan"},
                {"serve", "--models", "nowhere", "--device", "vulkan"},
        };
        for (String[] args : runs) {
            Cli r = Cli.run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("error: --models nowhere"), "--device vulkan is accepted; the missing folder is named: " + r.err());
        }
        Cli bench = Cli.run("bench", "blocks", "--size", "256", "--device", "vulkan");
        assertEquals(2, bench.exit(), bench.err());
        assertTrue(bench.err().contains("error: --device vulkan") && bench.err().contains("measures the CPU backend"), bench.err());
        Cli bad = Cli.run("eval", "spec.json", "--images", "nowhere", "--device", "tpu");
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("--device must be auto, cpu, vulkan or vulkan:N (N = 0, 1, ...), got 'tpu'"), bad.err());
    }
}
