package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Objects;

/**
 * Where a desired state or revision came from.
 *
 * @param type {@code apply} or {@code git}
 * @param repository git URL; null for {@code apply}
 * @param revision {@code <branch>@sha1:<commit>}; null for {@code apply}
 * @param path file inside the repository that holds the manifest; null for {@code apply}
 */
@RegisterForReflection
public record Source(SourceKind type, String repository, String revision, String path) {
    public static final Source APPLY = new Source(SourceKind.APPLY, null, null, null);

    public Source {
        Objects.requireNonNull(type, "source type");
    }

    public static Source git(String repository, String revision, String path) {
        return new Source(SourceKind.GIT, repository, revision, path);
    }

    /** {@code apply}, or {@code git <repository> <revision> <path>}: for log lines and messages. */
    public String describe() {
        return type == SourceKind.APPLY ? "apply" : "git " + repository + " " + revision + " " + path;
    }
}
