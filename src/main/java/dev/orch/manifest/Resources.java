package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Kubernetes-style limits. Quantities are kept as written (for output) and validated at load;
 * {@link Quantities} converts them.
 *
 * @param memory e.g. {@code 512Mi}, {@code 1G}, {@code 1048576}; null for no limit (maps to MemoryMax)
 * @param cpu e.g. {@code 500m}, {@code 1.5}; null for no limit (maps to CPUQuota)
 */
@RegisterForReflection
public record Resources(Limits limits) {
    public static final Resources NONE = new Resources(new Limits(null, null));

    @RegisterForReflection
    public record Limits(String memory, String cpu) {
        public Long memoryBytes() {
            return memory == null ? null : Quantities.parseMemory(memory);
        }

        public Integer cpuMillis() {
            return cpu == null ? null : Quantities.parseCpuMillis(cpu);
        }
    }
}
