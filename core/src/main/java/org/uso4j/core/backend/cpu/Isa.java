package org.uso4j.core.backend.cpu;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the CPU kernels run on, detected once per JVM: the instruction family, the vector width the JIT compiles
 * the Vector API to (which {@code -XX:MaxVectorSize} or {@code -XX:UseAVX} can narrow), and the number of vector
 * registers, which decides the GEMM micro-kernel's register block (16 ymm on AVX2, 32 on AVX-512 and NEON). AMX is
 * detected apart ({@link org.uso4j.core.backend.cpu.amx.AmxKernel#available()}).
 *
 * @param family        the instructions the JIT may use
 * @param vectorBits    the float vector width of {@link #FLOAT} (128, 256 or 512)
 * @param registers     vector registers the JIT can allocate
 */
public record Isa(Family family, int vectorBits, int registers) {
    /** Instruction families: x86 by the JIT's {@code UseAVX} level, ARM by its 128-bit NEON. */
    public enum Family {
        AVX512("AVX-512"), AVX2("AVX2"), SSE("SSE/AVX 128-bit"), NEON("NEON"), GENERIC("generic");

        private final String label;

        Family(String label) { this.label = label; }

        @Override public String toString() { return label; }
    }

    /**
     * The float species every CPU kernel uses: the JIT's preferred one, capped at 512 bits (the kernels' panels
     * are 32 floats wide) and at least 128 bits (narrower machines run the Vector API's portable code).
     */
    public static final VectorSpecies<Float> FLOAT = floatSpecies();

    /** This JVM's, detected once. */
    public static final Isa HOST = detect();

    private static VectorSpecies<Float> floatSpecies() {
        VectorSpecies<Float> p = FloatVector.SPECIES_PREFERRED;
        int bits = Math.max(128, Math.min(512, p.vectorBitSize()));
        return bits == p.vectorBitSize() ? p : VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }

    private static Isa detect() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        int bits = FLOAT.vectorBitSize();
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return new Isa(bits == 128 ? Family.NEON : Family.GENERIC, bits, 32);
        }
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            int avx = useAvx();
            if (avx >= 3) return new Isa(Family.AVX512, bits, 32); // EVEX: zmm/ymm/xmm 0-31 at any width
            if (avx == 2) return new Isa(Family.AVX2, bits, 16);
            return new Isa(Family.SSE, bits, 16);
        }
        return new Isa(Family.GENERIC, bits, 16);
    }

    /** HotSpot's {@code UseAVX} (0-3; 3 = AVX-512), or the level the vector width implies where it cannot be read. */
    private static int useAvx() {
        try {
            var vm = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(vm.getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) {
            int bits = FLOAT.vectorBitSize();
            return bits >= 512 ? 3 : bits == 256 ? 2 : 1;
        }
    }

    /** For benchmark headers and logs, e.g. {@code AVX2 (256-bit vectors, 16 registers)}. */
    public String describe() { return family + " (" + vectorBits + "-bit vectors, " + registers + " registers)"; }
}
