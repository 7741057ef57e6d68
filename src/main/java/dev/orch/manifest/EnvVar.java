package dev.orch.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One environment variable: a plain {@code value}, or a {@code sealedValue} (age armored ciphertext, opened by
 * orchd only when the color is installed; see docs/secrets.md). Exactly one of the two is set.
 */
@RegisterForReflection
public record EnvVar(String name, String value, @JsonInclude(JsonInclude.Include.NON_NULL) String sealedValue) {
    public EnvVar(String name, String value) {
        this(name, value, null);
    }

    public boolean sealed() {
        return sealedValue != null;
    }
}
