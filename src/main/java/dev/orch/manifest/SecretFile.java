package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A sealed file delivered to the app as a credential ({@code $CREDENTIALS_DIRECTORY/<name>}).
 *
 * @param name the file name inside the credentials directory
 * @param sealedValue age armored ciphertext of the file's bytes
 */
@RegisterForReflection
public record SecretFile(String name, String sealedValue) {}
