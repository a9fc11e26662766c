package org.uso4j.app;

import java.io.Serializable;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The {@code --device auto|cpu|vulkan[:N]} option (a picocli mixin) of the commands that run networks. */
final class DeviceOption {
    static final String DESCRIPTION = "where networks run: auto (a GPU where one can be used, else the CPU), cpu, or vulkan[:N]"
            + " (Vulkan device N, default 0)";

    enum Kind { AUTO, CPU, VULKAN }

    /** A parsed {@code --device}: the kind and, for vulkan, the device index. */
    record Device(Kind kind, int index) implements Serializable {
        static final Device AUTO = new Device(Kind.AUTO, 0), CPU = new Device(Kind.CPU, 0);

        static Device parse(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.equals("auto")) return AUTO;
            if (v.equals("cpu")) return CPU;
            if (v.equals("vulkan")) return new Device(Kind.VULKAN, 0);
            if (v.startsWith("vulkan:") && v.length() > 7 && v.substring(7).chars().allMatch(Character::isDigit) && v.length() < 15) {
                return new Device(Kind.VULKAN, Integer.parseInt(v.substring(7)));
            }
            throw new IllegalArgumentException("--device must be auto, cpu, vulkan or vulkan:N (N = 0, 1, ...), got '" + value + "'");
        }

        @Override public String toString() { return kind == Kind.VULKAN ? "vulkan:" + index : kind.name().toLowerCase(Locale.ROOT); }
    }

    static final class Converter implements CommandLine.ITypeConverter<Device> {
        @Override public Device convert(String value) {
            try {
                return Device.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--device", defaultValue = "auto", converter = Converter.class, description = DESCRIPTION)
    Device device = Device.AUTO;
}
