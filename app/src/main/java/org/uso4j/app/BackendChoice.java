package org.uso4j.app;

import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.MatmulPrecision;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.spark.BackendFactory;
import org.uso4j.vulkan.VulkanBackend;
import org.uso4j.vulkan.VulkanContext;
import org.uso4j.vulkan.VulkanException;

/**
 * The app's one backend factory: {@code --device} with {@code --threads}, {@code --precision} and {@code --scalar}.
 * Every command builds its backend here, and Spark executors rebuild it from this record ({@code cores}: the
 * executor's, when --threads is not given). {@code auto} is the first discrete or integrated GPU with Vulkan 1.3
 * (lavapipe and other software devices only when named), else the CPU; a GPU that fails to open gives a notice and
 * the CPU. {@code vulkan:N} fails, naming the cause, where it cannot be opened.
 *
 * @param threads   CPU threads, null for all processors (or the executor's cores)
 * @param explicit  whether --precision was given (an explicit bf16 without AMX says it runs f32)
 */
record BackendChoice(DeviceOption.Device device, boolean offload, Integer threads, MatmulPrecision precision, boolean explicit, boolean scalar)
        implements BackendFactory {

    static BackendChoice of(DeviceOption device, Integer threads, PrecisionOption precision, boolean scalar) {
        return new BackendChoice(device.device, false, threads, precision.precision(), precision.explicit(), scalar);
    }

    /** The CPU in f32 (commands without --precision). */
    static BackendChoice of(DeviceOption device, Integer threads, boolean scalar) {
        return new BackendChoice(device.device, false, threads, MatmulPrecision.F32, false, scalar);
    }

    /**
     * This choice with generate's {@code --offload}: on a GPU the weights then stay in host memory and each is streamed
     * to the device when an op uses it (nothing resident between stages; for models larger than the GPU's memory).
     */
    BackendChoice withOffload(boolean on) { return new BackendChoice(device, on, threads, precision, explicit, scalar); }

    /** The backend, on --threads or all processors. */
    Backend create() { return create(threads != null ? threads : Runtime.getRuntime().availableProcessors()); }

    @Override public Backend create(int cores) {
        return switch (device.kind()) {
            case VULKAN -> VulkanBackend.open(device.index(), VulkanContext.Options.defaults(), offload);
            case AUTO -> {
                if (scalar) yield new ScalarBackend();
                Integer gpu = AutoDevice.firstGpu();
                if (gpu != null) {
                    try {
                        yield VulkanBackend.open(gpu, VulkanContext.Options.defaults(), offload);
                    } catch (VulkanException e) {
                        System.err.println("note: --device auto: vulkan:" + gpu + " could not be opened (" + e.getMessage() + "); running on the CPU");
                    }
                }
                yield cpu(threads != null ? threads : cores);
            }
            case CPU -> scalar ? new ScalarBackend() : cpu(threads != null ? threads : cores);
        };
    }

    /** This choice for Spark executors, which run on the CPU only for now ({@code auto} is the CPU there). */
    BackendChoice forSparkExecutors() {
        if (device.kind() == DeviceOption.Kind.VULKAN) {
            throw new IllegalArgumentException("--device " + device + ": Spark executors run on the CPU only for now; use --device cpu");
        }
        return new BackendChoice(DeviceOption.Device.CPU, false, threads, precision, explicit, scalar);
    }

    /** The CPU backend itself, for the commands that measure it (bench blocks, selftest); fails for a GPU device. */
    CpuBackend cpu() {
        if (device.kind() == DeviceOption.Kind.VULKAN) {
            throw new IllegalArgumentException("--device " + device + ": this command measures the CPU backend; use --device cpu");
        }
        return cpu(threads != null ? threads : Runtime.getRuntime().availableProcessors());
    }

    private CpuBackend cpu(int n) {
        CpuBackend be = new CpuBackend(n, precision);
        if (explicit && precision == MatmulPrecision.BF16 && be.precision() != MatmulPrecision.BF16) {
            System.err.println("note: --precision bf16 runs in f32 here (" + MatmulPrecision.bf16UnavailableReason() + ")");
        }
        return be;
    }
}
