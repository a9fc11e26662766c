package org.uso4j.vulkan;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.vulkan.*;

/**
 * One compute pipeline: a SPIR-V module whose bindings 0..n-1 of set 0 are storage buffers and whose push constants
 * are {@code pushBytes} long (≤ 128, the minimum every device offers). The work-group size is declared in the shader.
 */
public final class Kernel implements AutoCloseable {
    final String name;
    final int bindings;
    final int pushBytes;
    final long setLayout;
    final long layout;
    final long pipeline;
    private final VkDevice device;

    Kernel(VulkanContext ctx, String name, byte[] spirv, int bindings, int pushBytes) {
        if (pushBytes > 128 || pushBytes % 4 != 0) throw new IllegalArgumentException(name + ": push constants must be ≤ 128 bytes, in words");
        this.name = name;
        this.bindings = bindings;
        this.pushBytes = pushBytes;
        this.device = ctx.device();
        try (MemoryStack stack = stackPush()) {
            VkDescriptorSetLayoutBinding.Buffer b = VkDescriptorSetLayoutBinding.calloc(bindings, stack);
            for (int i = 0; i < bindings; i++) {
                b.get(i).binding(i).descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(1).stageFlags(VK_SHADER_STAGE_COMPUTE_BIT);
            }
            var lp = stack.mallocLong(1);
            VulkanException.check(vkCreateDescriptorSetLayout(device,
                    VkDescriptorSetLayoutCreateInfo.calloc(stack).sType$Default().pBindings(b), null, lp), "vkCreateDescriptorSetLayout");
            this.setLayout = lp.get(0);
            VkPipelineLayoutCreateInfo pl = VkPipelineLayoutCreateInfo.calloc(stack).sType$Default().pSetLayouts(stack.longs(setLayout));
            if (pushBytes > 0) {
                pl.pPushConstantRanges(VkPushConstantRange.calloc(1, stack).stageFlags(VK_SHADER_STAGE_COMPUTE_BIT).offset(0).size(pushBytes));
            }
            VulkanException.check(vkCreatePipelineLayout(device, pl, null, lp), "vkCreatePipelineLayout");
            this.layout = lp.get(0);
            ByteBuffer code = MemoryUtil.memAlloc(spirv.length);
            long module;
            try {
                code.put(spirv).flip();
                VulkanException.check(vkCreateShaderModule(device, VkShaderModuleCreateInfo.calloc(stack).sType$Default().pCode(code), null, lp),
                        "vkCreateShaderModule(" + name + ")");
                module = lp.get(0);
            } finally {
                MemoryUtil.memFree(code);
            }
            try {
                VkComputePipelineCreateInfo.Buffer ci = VkComputePipelineCreateInfo.calloc(1, stack).sType$Default().layout(layout);
                ci.stage().sType$Default().stage(VK_SHADER_STAGE_COMPUTE_BIT).module(module).pName(stack.UTF8("main"));
                VulkanException.check(vkCreateComputePipelines(device, VK_NULL_HANDLE, ci, null, lp), "vkCreateComputePipelines(" + name + ")");
                this.pipeline = lp.get(0);
            } finally {
                vkDestroyShaderModule(device, module, null);
            }
        }
    }

    public String name() { return name; }

    @Override
    public void close() {
        vkDestroyPipeline(device, pipeline, null);
        vkDestroyPipelineLayout(device, layout, null);
        vkDestroyDescriptorSetLayout(device, setLayout, null);
    }
}
