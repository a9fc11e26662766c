package org.uso4j.vulkan;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Vulkan device the tests run on, opened once per test JVM: {@code USO4J_TEST_VULKAN_DEVICE} (an index) or the
 * first device, which is Mesa's lavapipe on machines without a GPU. Tests are skipped, saying why, only where no
 * Vulkan device exists at all.
 */
public final class TestDevice {
    private static VulkanContext context;
    private static String unavailable;

    private TestDevice() {}

    public static synchronized VulkanContext context() {
        if (context == null && unavailable == null) {
            try {
                String env = System.getenv("USO4J_TEST_VULKAN_DEVICE");
                context = VulkanContext.open(env == null ? 0 : Integer.parseInt(env), VulkanContext.Options.defaults());
                Runtime.getRuntime().addShutdownHook(new Thread(context::close));
            } catch (VulkanUnavailableException e) {
                unavailable = e.getMessage();
            }
        }
        assumeTrue(context != null, () -> "no Vulkan device here (install mesa-vulkan-drivers for lavapipe): " + unavailable);
        return context;
    }
}
