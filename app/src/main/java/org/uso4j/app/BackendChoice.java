package org.uso4j.app;

import org.uso4j.core.backend.Backend;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.MatmulPrecision;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.spark.BackendFactory;

/**
 * The app's one backend factory: {@code --device} with {@code --threads}, {@code --precision} and {@code --scalar}.
 * Every command builds its backend here, and Spark executors rebuild it from this record ({@code cores}: the
 * executor's, when --threads is not given). Until the Vulkan module is part of the build, {@code vulkan} is a usage
 * error and {@code auto} means the CPU.
 *
 * @param threads   CPU threads, null for all processors (or the executor's cores)
 * @param explicit  whether --precision was given (an explicit bf16 without AMX says it runs f32)
 */
record BackendChoice(DeviceOption.Device device, Integer threads, MatmulPrecision precision, boolean explicit, boolean scalar)
        implements BackendFactory {

    static BackendChoice of(DeviceOption device, Integer threads, PrecisionOption precision, boolean scalar) {
        return new BackendChoice(device.device, threads, precision.precision(), precision.explicit(), scalar);
    }

    /** The CPU in f32 (commands without --precision). */
    static BackendChoice of(DeviceOption device, Integer threads, boolean scalar) {
        return new BackendChoice(device.device, threads, MatmulPrecision.F32, false, scalar);
    }

    /** The backend, on --threads or all processors. */
    Backend create() { return create(threads != null ? threads : Runtime.getRuntime().availableProcessors()); }

    @Override public Backend create(int cores) {
        return switch (device.kind()) {
            // the Vulkan module's branch: VULKAN -> VulkanBackend.open(device.index(), ...) (a DeviceBackend); AUTO -> the
            // first discrete or integrated GPU of VulkanDevices.list() when there is one, else (with a notice) the CPU
            case VULKAN -> throw new IllegalArgumentException("--device " + device + ": this build has no Vulkan backend"
                    + " (the vulkan module is not part of it yet); use --device cpu");
            case AUTO, CPU -> scalar ? new ScalarBackend() : cpu(threads != null ? threads : cores);
        };
    }

    /** This choice for Spark executors, which run on the CPU only for now ({@code auto} is the CPU there). */
    BackendChoice forSparkExecutors() {
        if (device.kind() == DeviceOption.Kind.VULKAN) {
            throw new IllegalArgumentException("--device " + device + ": Spark executors run on the CPU only for now; use --device cpu");
        }
        return new BackendChoice(DeviceOption.Device.CPU, threads, precision, explicit, scalar);
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
