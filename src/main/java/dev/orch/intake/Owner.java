package dev.orch.intake;

/**
 * The git repository that defines an app: {@code repo} is its configured name, {@code path} the manifest's file,
 * {@code pin} the hold set by hand against it (null: none).
 */
public record Owner(String repo, String url, String path, Pin pin) {
    public Owner(String repo, String url, String path) {
        this(repo, url, path, null);
    }

    /** {@code the next commit that changes app web (apps/web.yaml)}: what ends a pin. */
    public String endsWhen(String app) {
        return "the next commit to " + repo + " that changes app " + app + " (" + path + ")";
    }
}
