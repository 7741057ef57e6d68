package dev.orch.intake;

/** The git repository that defines an app: {@code repo} is its configured name, {@code path} the manifest's file. */
public record Owner(String repo, String url, String path) {}
