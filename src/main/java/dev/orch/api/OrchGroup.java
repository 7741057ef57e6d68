package dev.orch.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Optional;

/**
 * The system group of {@code orch.api.group} (default {@code orch}, created by {@code systemd/install}): its
 * members may call the API through the socket and read the token without being root. Without that group,
 * both stay root-only.
 */
public final class OrchGroup {
    private OrchGroup() {}

    static Optional<GroupPrincipal> lookup(Path onFileSystem, String name) throws IOException {
        try {
            return Optional.of(onFileSystem.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(name));
        } catch (UserPrincipalNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Hands {@code file} to the group with the given permissions ({@code rw-rw----}) when the group exists.
     *
     * @return whether the group exists (and now owns the file)
     */
    public static boolean share(Path file, String group, String permissions) throws IOException {
        Optional<GroupPrincipal> principal = lookup(file, group);
        if (principal.isEmpty()) {
            return false;
        }
        Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(principal.get());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return true;
    }
}
