package dev.orch.source;

/**
 * Who made and who signed a commit a repository applied, for notifications of the apps it deployed.
 *
 * @param author {@code Name <email>}
 * @param signer the trusted signer when the repository verifies signatures, else null
 */
public record CommitInfo(String author, String signer) {}
