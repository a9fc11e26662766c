package org.uso4j.core.backend.cpu.amx;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Machine code made callable from Java through the FFM API: the bytes are copied into a page mapped with
 * libc's {@code mmap} (read + write), which is then made read + execute with {@code mprotect} (never writable
 * and executable at once), and a downcall handle is bound to its start. The page is never unmapped: kernels live
 * as long as the JVM. Linux on x86-64 only; callers check {@link #supported()} first.
 */
public final class ExecutableCode {
    private ExecutableCode() {}

    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;

    public static boolean supported() {
        String arch = System.getProperty("os.arch", ""), os = System.getProperty("os.name", "");
        return (arch.equals("amd64") || arch.equals("x86_64")) && os.toLowerCase().startsWith("linux");
    }

    /**
     * A downcall handle to {@code code} with the C signature {@code descriptor}. {@code options} are passed to
     * the linker (e.g. {@link Linker.Option#critical} so heap arrays can be passed directly).
     */
    public static MethodHandle load(byte[] code, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        try {
            MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            MethodHandle mprotect = linker.downcallHandle(libc.find("mprotect").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            long size = (code.length + 4095L) & ~4095L;
            MemorySegment page = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
            if (page.address() == -1L || page.address() == 0L) throw new IllegalStateException("mmap failed");
            page = page.reinterpret(size);
            MemorySegment.copy(code, 0, page, ValueLayout.JAVA_BYTE, 0, code.length);
            int rc = (int) mprotect.invokeExact(page, size, PROT_READ | PROT_EXEC);
            if (rc != 0) throw new IllegalStateException("mprotect(PROT_EXEC) failed");
            return linker.downcallHandle(page, descriptor, options);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot load machine code", t);
        }
    }
}
