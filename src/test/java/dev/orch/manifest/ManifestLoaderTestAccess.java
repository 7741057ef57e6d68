package dev.orch.manifest;

/** The loader tests' minimal manifest, for tests of other packages. */
public final class ManifestLoaderTestAccess {
    public static final String MINIMAL = ManifestLoaderTest.MINIMAL;

    private ManifestLoaderTestAccess() {}
}
